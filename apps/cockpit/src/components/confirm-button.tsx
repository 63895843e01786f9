import { useRef, useState } from "react";
import { errorText } from "./error-text.js";

/** A button that asks first (a native modal dialog: focus trapped, Escape cancels), then runs `action`. */
export function ConfirmButton(props: {
  label: string;
  question: string;
  action: () => Promise<unknown>;
  onDone?: () => void;
  className?: string;
  disabled?: boolean;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.action();
      dialog.current?.close();
      props.onDone?.();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        className={props.className}
        disabled={props.disabled}
        onClick={() => dialog.current?.showModal()}
      >
        {props.label}
      </button>
      <dialog ref={dialog} aria-label={props.label}>
        <p>{props.question}</p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="row">
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="button" className="primary" disabled={busy} onClick={run}>
            {busy ? "Working…" : `Yes, ${props.label.toLowerCase()}`}
          </button>
        </div>
      </dialog>
    </>
  );
}
