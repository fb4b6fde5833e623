// The responder's review of stories — verdict and notes — kept in the case store, so it survives a restart and
// travels with the case.
import { useCallback, useEffect, useState } from 'react';
import type { Story } from '../../../../shared/model/story.js';
import { useCase } from '../../case/case-context.js';
import { caseDatabase } from '../../store/case-database.js';
import type { NoteRecord, StoryRecord } from '../../store/case-db.js';

export type Verdict = StoryRecord['verdict'];

export function useVerdicts(): Map<string, Verdict> {
  const { caseId } = useCase();
  const [verdicts, setVerdicts] = useState(new Map<string, Verdict>());
  useEffect(() => {
    if (!caseId) return;
    void caseDatabase()
      .stories.where('caseId')
      .equals(caseId)
      .toArray()
      .then((records) => setVerdicts(new Map(records.map((r) => [r.id, r.verdict]))));
  }, [caseId]);
  return verdicts;
}

export function useStoryReview(story: Story) {
  const { caseId } = useCase();
  const [verdict, setVerdictState] = useState<Verdict>('unreviewed');
  const [notes, setNotes] = useState<NoteRecord[]>([]);

  const reload = useCallback(async () => {
    if (!caseId) return;
    const record = await caseDatabase().stories.get([caseId, story.id]);
    setVerdictState(record?.verdict ?? 'unreviewed');
    setNotes(await caseDatabase().notes.where('[caseId+subject]').equals([caseId, story.id]).sortBy('createdAt'));
  }, [caseId, story.id]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const setVerdict = async (next: Verdict) => {
    if (!caseId) return;
    // Shown at once (a controlled radio must not wait for the store), then saved.
    setVerdictState(next);
    await caseDatabase().stories.put({
      caseId, id: story.id, title: story.title, severity: story.severity, score: story.score, firstSeen: story.firstSeen, verdict: next, body: story,
    });
  };

  const addNote = async (text: string) => {
    if (!caseId || !text.trim()) return;
    const now = new Date().toISOString();
    await caseDatabase().notes.add({ caseId, subject: story.id, author: 'responder', text: text.trim(), createdAt: now, updatedAt: now });
    await reload();
  };

  return { verdict, notes, setVerdict, addNote };
}
