// Opening a bundle from the workbench: pick it or drop it here. It is sent to main (bounded in size), verified
// there, and opened read-only — or refused, saying why, with nothing opened.
import { useRef, useState, type DragEvent } from 'react';
import { uploadBundle } from './bundle-client.js';

type OpenState = { step: 'idle' } | { step: 'sending'; name: string; sent: number; total: number } | { step: 'refused'; name: string; message: string };

export function BundleOpener() {
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<OpenState>({ step: 'idle' });
  const [over, setOver] = useState(false);
  const open = (file: File | undefined) => {
    if (!file) return;
    setState({ step: 'sending', name: file.name, sent: 0, total: file.size });
    uploadBundle(file, (sent, total) => setState({ step: 'sending', name: file.name, sent, total })).then(
      () => setState({ step: 'idle' }),
      (error: Error) => setState({ step: 'refused', name: file.name, message: error.message }),
    );
  };
  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setOver(false);
    open(event.dataTransfer.files[0]);
  };
  return (
    <div
      className={`bundle-drop${over ? ' bundle-drop-over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <p>
        Drop a <code>.vigil</code> evidence bundle here, or{' '}
        <button type="button" onClick={() => input.current?.click()} disabled={state.step === 'sending'}>
          Open a bundle…
        </button>
      </p>
      <input
        ref={input}
        type="file"
        accept=".vigil,application/zip"
        className="visually-hidden"
        aria-label="Evidence bundle (.vigil)"
        data-testid="open-bundle"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          open(file);
        }}
      />
      {state.step === 'sending' ? (
        <p role="status">
          Sending {state.name} to be verified… <progress max={state.total} value={state.sent} aria-label="Upload progress" />
        </p>
      ) : null}
      {state.step === 'refused' ? (
        <p role="alert" className="bundle-refused" data-testid="bundle-refused">
          <strong>Not opened.</strong> {state.message}
        </p>
      ) : null}
    </div>
  );
}
