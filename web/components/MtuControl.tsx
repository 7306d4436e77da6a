/**
 * Path MTU: what the capture itself reveals (the default), presets for the common overlays, or a
 * custom number; findings and markers follow it.
 */
import { useTranslation } from 'react-i18next';
import { MTU_MAX, MTU_MIN, MTU_PRESETS, inferredValue, useUi, type MtuPresetId } from '../store/uiStore';
import { useSession } from '../store/session';
import type { InferredMtu } from '../worker/protocol';

function inferredLabel(t: (key: string, o?: Record<string, unknown>) => string, inf: InferredMtu | null, loaded: boolean): string {
  const mtu = inferredValue(inf);
  // Before a capture is open there is nothing to infer from: no number that looks like a result.
  if (!loaded) return t('mtu.inferredPending');
  if (!inf) return t('mtu.inferredNone', { mtu });
  if (inf.source === 'icmp' || inf.min === inf.max) return t('mtu.inferredIcmp', { mtu });
  return t('mtu.inferred', { mtu, min: inf.min, max: inf.max });
}

export function MtuControl() {
  const { t } = useTranslation();
  const preset = useUi((s) => s.mtuPreset);
  const mtu = useUi((s) => s.mtu);
  const inferred = useUi((s) => s.inferredMtu);
  const loaded = useSession((s) => s.status === 'ready' && (s.summary?.packets ?? 0) > 0);
  return (
    <div className="mtu" role="group" aria-label={t('mtu.label')}>
      <label htmlFor="mtu-preset">{t('mtu.label')}</label>
      <select id="mtu-preset" data-testid="mtu-preset" value={preset} onChange={(e) => useUi.getState().setMtuPreset(e.target.value as MtuPresetId)}>
        <option value="inferred">{inferredLabel(t, inferred, loaded)}</option>
        {MTU_PRESETS.map((p) => (
          <option key={p.id} value={p.id}>{t(`mtu.${p.id}`)}</option>
        ))}
        <option value="custom">{t('mtu.custom')}</option>
      </select>
      {preset === 'custom' && (
        <input
          type="number" data-testid="mtu-custom" min={MTU_MIN} max={MTU_MAX} step={1} defaultValue={mtu} aria-label={t('mtu.custom')}
          onKeyDown={(e) => { if (e.key === 'Enter') useUi.getState().setCustomMtu(Number((e.target as HTMLInputElement).value)); }}
          onBlur={(e) => useUi.getState().setCustomMtu(Number(e.target.value))}
        />
      )}
    </div>
  );
}
