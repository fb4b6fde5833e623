// Any id in the workbench can be copied with one click (story ids, event ids, entity ids): responders paste them
// into tickets, `vigil` commands and chat.
import { useState } from 'react';

export function CopyId({ id, label }: { id: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <span className="copy-id">
      <code>{label ?? id}</code>
      <button
        type="button"
        className="ghost tiny"
        aria-label={`Copy ${id}`}
        title="Copy the id"
        onClick={() => {
          void navigator.clipboard?.writeText(id).then(
            () => {
              setCopied(true);
              setTimeout(() => setCopied(false), 1200);
            },
            () => setCopied(false),
          );
        }}
      >
        {copied ? 'copied' : 'copy'}
      </button>
    </span>
  );
}
