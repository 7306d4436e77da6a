/** Path MTU: presets for the common overlays, or a custom number; findings and markers follow it. */
import { useTranslation } from 'react-i18next';
import { MTU_MAX, MTU_MIN, MTU_PRESETS, useUi, type MtuPresetId } from '../store/uiStore';

export function MtuControl() {
  const { t } = useTranslation();
  const preset = useUi((s) => s.mtuPreset);
  const mtu = useUi((s) => s.mtu);
  return (
    <div className="mtu" role="group" aria-label={t('mtu.label')}>
      <label htmlFor="mtu-preset">{t('mtu.label')}</label>
      <select id="mtu-preset" data-testid="mtu-preset" value={preset} onChange={(e) => useUi.getState().setMtuPreset(e.target.value as MtuPresetId)}>
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
