/**
 * The display filter's error texts, English; joined into the core's catalogue (src/i18n) so every
 * language must translate them (the Chinese ones are in src/i18n/messages.zh-CN.ts).
 */
export const filterMessages = {
  'filter.error.singleEquals': '"=" is not an operator: compare with "=="',
  'filter.error.unterminatedString': 'this string has no closing quote',
  'filter.error.badChar': '"{{char}}" cannot appear here',
  'filter.error.unexpectedEnd': 'the filter ends too early: an expression or a value is missing',
  'filter.error.unexpected': '"{{token}}" was unexpected here',
  'filter.error.unclosedParen': 'this "(" is never closed',
  'filter.error.unclosedBrace': 'this "{" is never closed',
  'filter.error.slice': 'slices ([i:j]) are not supported',
  'filter.error.badRange': 'a range is written low..high',
  'filter.error.unknownField': '"{{field}}" is neither a field nor a protocol',
  'filter.error.didYouMean': 'did you mean {{names}}?',
  'filter.error.notComparable': '{{field}} is only present or absent: it cannot be compared',
  'filter.error.badValue': '"{{value}}" is not a valid {{type}} for {{field}}',
  'filter.error.badOperator': '{{op}} does not apply to {{field}} ({{type}})',
  'filter.error.badRegex': 'not a valid regular expression: {{reason}}',
  'filter.error.needsFrames': 'this filter reads fields that are not in the packet table ({{field}}), and the packets\' bytes are not at hand',
  'cli.filterError': 'bad display filter',
  'cli.filtered': 'Display filter {{expression}}: {{frames}} matching frames; the streams and findings below are those with a matching frame',
  'filter.type.number': 'number',
  'filter.type.boolean': 'boolean (0, 1, True, False)',
  'filter.type.ipv4': 'IPv4 address or network',
  'filter.type.ipv6': 'IPv6 address or network',
  'filter.type.ether': 'MAC address',
  'filter.type.string': 'string',
  'filter.type.bytes': 'byte string',
  'filter.type.time': 'number of seconds',
  'filter.type.protocol': 'protocol',
  'filter.type.label': 'label',
} as const;

export type FilterMessageKey = keyof typeof filterMessages;
