/** The app's own words in English; the diagnoses bring theirs from the core (src/i18n). */
export const en = {
  app: { title: 'Capture Inspector', tagline: 'Why did this TCP connection stall or die? Everything stays in your browser.' },
  open: {
    file: 'Open capture…', sample: 'Open sample', drop: 'Drop a capture anywhere (pcap, pcapng, .gz)',
    dropHere: 'Drop the capture to open it',
    sampleHint: 'New here? Open the sample: a real PMTU black hole (1450-byte packets with DF set, never delivered).',
    cancel: 'Cancel', loading: 'Reading {{name}}…',
    progress: '{{bytes}} of {{total}} · {{packets}} packets · {{rate}} packets/s',
    sampleFailed: 'The sample could not be loaded: {{message}}',
  },
  error: {
    crashed: 'The analysis stopped unexpectedly ({{message}}). Open the file again or another one.',
    failed: 'The capture could not be read: {{message}}',
    cancelled: 'Reading was cancelled: showing the first {{bytes}} of {{total}}.',
    partial: 'Showing everything read before the problem: {{packets}} packets.',
    noAnalysis: 'The TCP analysis is not part of this build: only the capture summary is shown.',
  },
  summary: {
    title: 'Capture', file: 'File', format: 'Format', linkTypes: 'Link types', interfaces: 'Interfaces',
    packets: 'Packets', tcpPackets: 'TCP packets', span: 'Time span', streams: 'TCP streams',
    problemStreams: 'with findings', tunnels: 'Tunnels', none: 'none', warnings: 'Warnings', at: 'at byte {{offset}}',
  },
  findings: { title: 'Findings', none: 'No problem found in this capture.', stream: 'stream {{stream}}', open: 'Open stream {{stream}} at this finding' },
  severity: { critical: 'critical', error: 'error', warning: 'warning', info: 'info' },
  streams: {
    title: 'TCP streams', problemsOnly: 'Problems only', filter: 'Filter: address, port or stream number',
    count: '{{shown}} of {{total}}', empty: 'No stream matches.',
    col: { index: 'Stream', a: 'Endpoint A', b: 'Endpoint B', packets: 'Packets', bytes: 'Bytes', start: 'Start', duration: 'Duration', retrans: 'Retrans', holes: 'Holes', flags: 'Flags', findings: 'Findings' },
    flagsHelp: 'R retransmissions, F fast retransmissions, O out of order, L previous segment not captured, D duplicate ACKs, Z zero window',
  },
  stream: {
    title: 'Stream {{stream}}', back: 'All streams', dir: 'Direction', chart: 'Sequence chart',
    chartPending: 'The sequence chart of this stream appears here.', remedy: 'What to do', analysis: 'Analysis',
    noFindings: 'No finding for this stream.', packets: 'Packets of stream {{stream}}',
  },
  mtu: { inferred: 'Inferred: {{mtu}} ({{min}}–{{max}})', inferredIcmp: 'Inferred: {{mtu}} (ICMP)', inferredNone: 'Inferred: {{mtu}} (none found)', label: 'Path MTU', custom: 'Custom', ethernet: '1500 Ethernet', ipip: '1480 IPIP', vxlan: '1450 VXLAN', calico: '1440 Calico IPIP', wireguard: '1420 WireGuard', oversized: 'larger than the path MTU ({{mtu}}) with DF set' },
  packets: {
    col: { frame: 'No.', time: 'Time', dir: 'Dir', seq: 'Seq', ack: 'Ack', len: 'Len', ipLen: 'IP len', df: 'DF', win: 'Win', flags: 'Flags', why: 'Analysis' },
  },
  detail: { title: 'Frame {{frame}}', none: 'Select a packet to see its headers and bytes.', captured: '{{cap}} of {{orig}} bytes captured', hexOnly: 'Headers cannot be decoded in this build; the bytes are shown as read from the file.', bytes: 'Bytes', loading: 'Reading the packet…' },
  flag: {
    retransmission: 'Retransmission: this data was already sent.',
    fast_retransmission: 'Fast retransmission: re-sent within 20 ms of duplicate ACKs or SACK reporting the gap.',
    spurious_retransmission: 'Spurious retransmission: every byte was already acknowledged.',
    out_of_order: 'Out of order: arrived after later data, sooner than a round trip (reordering rather than loss).',
    lost_segment: 'Previous segment not captured: a gap in the sequence numbers before this packet.',
    ack_lost_segment: 'ACKed unseen segment: acknowledges data the capture never saw.',
    duplicate_ack: 'Duplicate ACK: the receiver is still waiting for the same byte.',
    zero_window: 'Zero window: the receiver has no buffer space; the sender must stop.',
    zero_window_probe: 'Zero-window probe: one byte sent to see if the window reopened.',
    zero_window_probe_ack: 'Answer to a zero-window probe.',
    window_full: 'Window full: the sender filled the receiver\u2019s advertised window.',
    window_update: 'Window update: only the receive window changed.',
    keep_alive: 'Keep-alive: an old byte re-sent to keep the connection open.',
    keep_alive_ack: 'Answer to a keep-alive.',
    reused_ports: 'Reused ports: a new connection on the address pair of an older one.',
  },
  keys: {
    title: 'Keyboard', close: 'Close', up: 'Previous stream or packet', down: 'Next stream or packet',
    enter: 'Open the selected stream', esc: 'Clear the selection (frame, then stream)', help: 'Show this list',
    left: 'Direction A→B', right: 'Direction B→A',
  },
  chart: {
    title: 'Time–sequence chart', axisTime: 'Time since capture start (s)', axisSeq: 'Relative sequence number',
    info: '{{shown}} of {{total}} segments · {{from}}–{{to}} s', decimated: 'merged per pixel',
    decimatedHelp: 'Segments are merged per pixel column (lowest to highest byte); retransmissions and every other flagged segment are all drawn.',
    loading: 'Loading the chart…', failed: 'The chart data could not be loaded.', empty: 'No packets in this direction.',
    reset: 'Reset zoom', zoomOut: 'Zoom out', zoomOutHelp: 'Show twice the time span (keys: + and −, 0 resets)',
    fitWindow: 'Receive window', fitWindowHelp: 'Scale the sequence axis to include the ACK + receive-window line',
    help: 'Drag: zoom · Wheel: zoom at pointer · Shift+drag: pan · Click: select frame',
    holeLabel: 'hole · {{bytes}} B', holeOpenLabel: 'hole never filled · {{bytes}} B',
    legend: {
      segment: 'Data segment', retransmission: 'Retransmission', fast: 'Fast retransmission', spurious: 'Spurious retransmission',
      ooo: 'Out of order', lost: 'After a gap (previous segment not captured)', oversized: 'Oversized, DF set (IP > {{mtu}} B)',
      oversizedNoMtu: 'Oversized, DF set', ack: 'ACK', win: 'ACK + receive window', dupack: 'Duplicate ACK',
      sack: 'SACK block', dsack: 'D-SACK', hole: 'Hole (not acknowledged)', conn: 'SYN / FIN / RST',
    },
    tip: {
      frame: 'Frame {{frame}}', envelope: '{{count}} segments from frame {{frame}}', time: 'Time', seq: 'Seq', len: 'Length',
      ipLen: 'IP length', maxIpLen: 'Largest IP length', range: 'Bytes', ack: 'ACK', win: 'Window', sack: 'SACK', dsack: 'D-SACK',
      holeSack: 'Hole: data SACKed beyond, never ACKed', holeUncaptured: 'Hole: previous segment not captured',
      since: 'Since', until: 'Until', never: 'never filled', click: 'Click to select this frame',
    },
    flag: {
      oversized: 'oversized (DF)', retransmission: 'retransmission', fast_retransmission: 'fast retransmission',
      spurious_retransmission: 'spurious retransmission', out_of_order: 'out of order', lost_segment: 'previous segment not captured',
      keep_alive: 'keep-alive', zero_window_probe: 'zero-window probe', window_full: 'window full', syn: 'SYN', fin: 'FIN', rst: 'RST',
      psh: 'PSH', dup_ack: 'duplicate ACK', zero_window: 'zero window', ack_lost_segment: 'ACKed unseen segment',
      window_update: 'window update', sack: 'SACK',
    },
  },
  lang: { label: 'Language' },
  units: { s: '{{v}} s', ms: '{{v}} ms' },
};

/** Every language has the same keys as English. */
type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type Messages = Widen<typeof en>;
