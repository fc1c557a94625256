/** The banners: a restored run (resume or start over), a notice, the NaN stop, an error; the note. */
import type { Panel } from '../../shared/define';
import { configToSettings, settingsLabel } from '../config';
import type { LabCtx, LabWidgetState } from '../widget';

export function bannersPanel({ $ }: LabCtx): Panel<LabWidgetState, undefined> {
  const restored = $('[data-banner="restored"]');
  const restoredText = $('[data-restored-text]');
  const notice = $('[data-banner="notice"]');
  const noticeText = $('[data-notice-text]');
  const nan = $('[data-banner="nan"]');
  const nanText = $('[data-nan-text]');
  const error = $('[data-banner="error"]');
  const errorText = $('[data-error-text]');
  const note = $('[data-note]');
  return (s, _r, prev) => {
    if (s.note !== prev?.note && s.note) {
      note.textContent = s.note;
      note.hidden = false;
    }
    const { ui } = s;
    if (prev && ui === prev.ui && s.failure === prev.failure) return;
    restored.hidden = !ui.restored;
    if (ui.restored)
      restoredText.textContent = `Resumed your run from epoch ${ui.restored.progress.epoch} (${settingsLabel(configToSettings(ui.restored.config, 'auto'))}). Continue it, or start over?`;
    notice.hidden = !ui.notice;
    noticeText.textContent = ui.notice ?? '';
    nan.hidden = !ui.nan;
    if (ui.nan)
      // The lab's message names the step, the rate and the weights kept; say each once.
      nanText.textContent = ui.nan.message;
    error.hidden = !ui.error && !s.failure;
    errorText.textContent = s.failure ?? (ui.error ? `Something went wrong: ${ui.error}` : '');
  };
}
