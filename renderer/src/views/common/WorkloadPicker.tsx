// Picks a workload (or one of its pods) of the open case, from the workloads the engine has a baseline for.
import type { WorkloadChoice } from '../../engine/case-policies.js';

export function WorkloadPicker({ choices, value, onChange, byPod, label }: {
  choices: WorkloadChoice[];
  value: string | undefined;
  onChange(value: string): void;
  byPod: boolean;
  label: string;
}) {
  return (
    <label className="picker">
      {label}{' '}
      <select value={value ?? ''} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="" disabled>
          choose…
        </option>
        {byPod
          ? choices.map((c) => (
              <optgroup key={c.workload} label={`${c.workload} (${c.state})`}>
                {c.pods.map((pod) => <option key={pod} value={pod}>{pod}</option>)}
              </optgroup>
            ))
          : choices.map((c) => (
              <option key={c.workload} value={c.workload}>
                {c.workload} — {c.state}, {c.eventCount.toLocaleString('en')} events
              </option>
            ))}
      </select>
    </label>
  );
}
