import { describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import Dexie from 'dexie';
import { openCaseDatabase, toStoredEvent } from './case-db.js';
import type { RuntimeEvent } from '../../../shared/model/event.js';

function freshFactory() {
  return { indexedDB: new IDBFactory(), IDBKeyRange };
}

const execEvent: RuntimeEvent = {
  id: 'lab-node-1/1/42',
  time: '2026-11-21T10:02:03.000000001Z',
  node: 'lab-node-1',
  source: 'collector',
  kind: 'process.exec',
  pod: { namespace: 'agents', name: 'research-agent-7c9f6d5b8-x2k4p', uid: 'u1' },
  containerId: 'c'.repeat(64),
  process: { pid: 10, ppid: 1, exe: '/bin/sh', args: ['sh', '-c', 'id'] },
  details: { filename: '/bin/sh' },
};

describe('case store', () => {
  it('keeps a case and its events, stories and notes across a reopen', async () => {
    const factory = freshFactory();
    const db = openCaseDatabase({ name: 'reopen', ...factory });
    await db.cases.add({ id: 'case-1', title: 'Exfil from research agent', mode: 'live', createdAt: 't0', updatedAt: 't0', clusterIds: ['k1'], status: 'open' });
    await db.events.add(toStoredEvent('case-1', execEvent));
    await db.notes.add({ caseId: 'case-1', subject: '', author: 'responder', text: 'contained at 10:05', createdAt: 't1', updatedAt: 't1' });
    db.close();

    const reopened = openCaseDatabase({ name: 'reopen', ...factory });
    expect(await reopened.cases.get('case-1')).toMatchObject({ title: 'Exfil from research agent' });
    const byPod = await reopened.events.where('[caseId+podKey]').equals(['case-1', 'agents/research-agent-7c9f6d5b8-x2k4p']).toArray();
    expect(byPod.map((e) => e.event)).toEqual([execEvent]);
    expect(await reopened.notes.where('caseId').equals('case-1').count()).toBe(1);
    reopened.close();
  });

  it('migrates a version 1 database to the current schema without losing data', async () => {
    const factory = freshFactory();
    const v1 = new Dexie('migrate', factory);
    v1.version(1).stores({
      cases: 'id, updatedAt',
      events: '[caseId+id], caseId, [caseId+time], [caseId+kind]',
      entities: '[caseId+id], caseId, [caseId+kind]',
      stories: '[caseId+id], caseId, [caseId+severity]',
      actions: '[caseId+seq], caseId',
      notes: '++id, caseId, [caseId+subject]',
    });
    await v1.table('events').add({ caseId: 'c', id: execEvent.id, time: execEvent.time, kind: execEvent.kind, event: execEvent });
    await v1.table('notes').add({ caseId: 'c', subject: '', author: 'a', text: 'old note', createdAt: '2026-01-01T00:00:00Z' });
    v1.close();

    const db = openCaseDatabase({ name: 'migrate', ...factory });
    await db.open();
    expect(db.verno).toBe(2);
    const [note] = await db.notes.where('[caseId+updatedAt]').equals(['c', '2026-01-01T00:00:00Z']).toArray();
    expect(note?.text).toBe('old note');
    const migrated = await db.events.where('[caseId+podKey]').equals(['c', 'agents/research-agent-7c9f6d5b8-x2k4p']).toArray();
    expect(migrated).toHaveLength(1);
    db.close();
  });
});
