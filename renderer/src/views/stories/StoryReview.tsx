// The responder's verdict on a story and their notes, saved in the case store as they are made.
import { useState } from 'react';
import type { Story } from '../../../../shared/model/story.js';
import { useStoryReview, type Verdict } from './story-review.js';

const choices: { value: Verdict; label: string }[] = [
  { value: 'unreviewed', label: 'Not reviewed' },
  { value: 'true-positive', label: 'True positive' },
  { value: 'false-positive', label: 'False positive' },
];

export function StoryReview({ story }: { story: Story }) {
  const review = useStoryReview(story);
  const [draft, setDraft] = useState('');
  return (
    <section aria-labelledby="review-title" className="panel">
      <h3 id="review-title">Verdict and notes</h3>
      <fieldset className="verdict">
        <legend>Verdict</legend>
        {choices.map((choice) => (
          <label key={choice.value}>
            <input type="radio" name="verdict" value={choice.value} checked={review.verdict === choice.value} onChange={() => void review.setVerdict(choice.value)} />{' '}
            {choice.label}
          </label>
        ))}
      </fieldset>
      <ul className="notes">
        {review.notes.map((note) => (
          <li key={note.id}>
            <time dateTime={note.createdAt} className="muted">{note.createdAt.replace('T', ' ').slice(0, 16)}</time> {note.text}
          </li>
        ))}
      </ul>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void review.addNote(draft).then(() => setDraft(''));
        }}
      >
        <label htmlFor="note-text">Add a note</label>
        <textarea id="note-text" rows={3} value={draft} onChange={(e) => setDraft(e.currentTarget.value)} />
        <button type="submit" disabled={!draft.trim()}>Save note</button>
      </form>
    </section>
  );
}
