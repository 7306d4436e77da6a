/** "Copy link" beside each finding of the overview: the link opens the stream at this finding. */
import type { FindingItem } from '../worker/protocol';
import { findingState } from './buildLink';
import { LinkResult, useShareLink } from './ShareBar';
import { useShareT } from './strings';

export function CopyFindingLink({ finding }: { finding: FindingItem }) {
  const { t } = useShareT();
  const { shown, share } = useShareLink();
  return (
    <>
      <button type="button" className="copy-finding-link" data-testid={`copy-link-${finding.kind}`} onClick={() => void share(() => findingState(finding), 'link', false)}>
        {t('copyLink')}
      </button>
      <LinkResult shown={shown} />
    </>
  );
}
