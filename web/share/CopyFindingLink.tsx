/**
 * "Copy link" beside each finding of the overview: the link opens the stream at this finding. The
 * button holds no state of its own: a big capture lists thousands of findings, so the list keeps one
 * link result (`useShareLink`) for all of them and shows it above the rows.
 */
import type { ShareState } from '../../src/share/index';
import type { FindingItem } from '../worker/protocol';
import { findingState } from './buildLink';

export type ShareFn = (make: () => Promise<ShareState | null>, kind: 'link' | 'snapshot', mask: boolean) => Promise<void>;

export function CopyFindingLink({ finding, label, share }: { finding: FindingItem; label: string; share: ShareFn }) {
  return (
    <button type="button" className="copy-finding-link" data-testid={`copy-link-${finding.kind}`} onClick={() => void share(() => findingState(finding), 'link', false)}>
      {label}
    </button>
  );
}
