/**
 * A display filter box: the text, and under a filter that does not compile, the part where it breaks
 * underlined (a copy of the text drawn under the input, transparent but for the underline), the
 * reason in the UI's language and the nearest field names as buttons that put the name in.
 */
import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FilterError } from '../../src/filter/index';
import './filterInput.css';

export function FilterInput({ value, onChange, error, placeholder, label, testId, className, after }: {
  value: string;
  onChange(text: string): void;
  error: FilterError | null;
  placeholder: string;
  label: string;
  testId: string;
  className?: string;
  /** Shown after the message (e.g. how the text was taken). */
  after?: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
  const input = useRef<HTMLInputElement>(null);
  const [scroll, setScroll] = useState(0);
  const msgId = `${testId}-error`;
  // The reason alone: the suggestions are buttons of their own.
  const reason = error ? reasonText(error, lang) : '';
  const start = error ? Math.min(error.start, value.length) : 0;
  const end = error ? Math.max(start, Math.min(error.end, value.length)) : 0;
  const replace = (name: string) => {
    if (!error) return;
    onChange(value.slice(0, error.start) + name + value.slice(error.end));
    input.current?.focus();
  };
  return (
    <div className={`filter-input ${error ? 'bad' : ''} ${className ?? ''}`}>
      <div className="filter-field">
        <div className="filter-mirror" aria-hidden="true" style={{ transform: `translateX(${-scroll}px)` }}>
          {value.slice(0, start)}
          <span className="filter-bad" data-testid={error ? `${testId}-underline` : undefined}>{end > start ? value.slice(start, end) : '\u00a0\u00a0'}</span>
          {value.slice(end)}
        </div>
        <input
          ref={input} type="search" value={value} placeholder={placeholder} aria-label={label} data-testid={testId} spellCheck={false}
          aria-invalid={error ? true : undefined} aria-describedby={error ? msgId : undefined}
          onChange={(e) => onChange(e.target.value)} onScroll={(e) => setScroll(e.currentTarget.scrollLeft)}
          onKeyUp={(e) => setScroll(e.currentTarget.scrollLeft)}
        />
      </div>
      {error && (
        <div className="filter-message" id={msgId} role="alert" data-testid={`${testId}-message`}>
          <span>{reason}</span>
          {error.suggestions.length > 0 && (
            <>
              {' '}<span>{t('filterBox.didYouMean')}</span>
              {error.suggestions.map((n) => (
                <button
                  key={n} type="button" className="link-button mono" data-testid={`${testId}-suggestion`} onClick={() => replace(n)}
                  onKeyDown={(e) => { if (e.key === 'Enter') e.stopPropagation(); }}
                >
                  {n}
                </button>
              ))}
            </>
          )}
          {after}
        </div>
      )}
    </div>
  );
}

/** The error's reason without its list of names. */
function reasonText(e: FilterError, lang: 'en' | 'zh-CN'): string {
  const full = e.text(lang);
  if (!e.suggestions.length) return full;
  const names = e.suggestions.join(', ');
  const cut = full.lastIndexOf(lang === 'zh-CN' ? '；' : '; ');
  return cut > 0 && full.includes(names) ? full.slice(0, cut) + (lang === 'zh-CN' ? '。' : '.') : full;
}
