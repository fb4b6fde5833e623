// The open case, shared by every view: which case, its summary, what the engine computed, and any long load in
// progress (with its cancel). On start the most recently used case reopens, so a restart brings the responder back
// to exactly where they were.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { engineClient, RequestCancelled, type Running } from '../engine/engine-client.js';
import type { Analysis, CaseSummary, Progress } from '../engine/engine-protocol.js';
import { caseDatabase } from '../store/case-database.js';
import { followLive as follow, type LiveStatus } from './live-follower.js';

export interface LoadState {
  label: string;
  progress: Progress | null;
  cancel(): void;
}

export interface CaseState {
  /** `opening` while the last case is read back at start. */
  status: 'opening' | 'none' | 'open';
  caseId: string | null;
  title: string | null;
  summary: CaseSummary | null;
  analysis: Analysis | null;
  load: LoadState | null;
  error: string | null;
  importFiles(files: File[]): Promise<void>;
  mode: 'live' | 'import' | 'bundle' | null;
  live: LiveStatus | null;
  /** Starts a new live case from the lab collector, or resumes the open live case after its cursor. */
  followLive(): Promise<void>;
  stopLive(): void;
  dismissError(): void;
}

const CaseContext = createContext<CaseState | null>(null);

export function useCase(): CaseState {
  const state = useContext(CaseContext);
  if (!state) throw new Error('useCase outside <CaseProvider>');
  return state;
}

function newCaseId(): string {
  return `case-${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${crypto.randomUUID().slice(0, 8)}`;
}

export function CaseProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<CaseState['status']>('opening');
  const [caseId, setCaseId] = useState<string | null>(null);
  const [title, setTitle] = useState<string | null>(null);
  const [summary, setSummary] = useState<CaseSummary | null>(null);
  const [analysis, setAnalysis] = useState<Analysis | null>(null);
  const [load, setLoad] = useState<LoadState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const analysisRequest = useRef(0);
  const [mode, setMode] = useState<CaseState['mode']>(null);
  const [live, setLive] = useState<LiveStatus | null>(null);
  const stopFollowing = useRef<(() => void) | null>(null);

  const refreshAnalysis = useCallback(async () => {
    const ticket = ++analysisRequest.current;
    const next = await engineClient().request({ type: 'analysis' });
    if (ticket === analysisRequest.current) setAnalysis(next);
  }, []);

  const runLoad = useCallback(
    async (label: string, id: string, start: (onProgress: (progress: Progress) => void) => Running<CaseSummary>) => {
      stopFollowing.current?.();
      stopFollowing.current = null;
      setLive(null);
      const running = start((progress) => setLoad((current) => (current ? { ...current, progress } : current)));
      setLoad({ label, progress: null, cancel: running.cancel });
      setError(null);
      try {
        const loaded = await running.result;
        await caseDatabase().cases.update(id, { updatedAt: new Date().toISOString() });
        const record = await caseDatabase().cases.get(id);
        setCaseId(id);
        setTitle(record?.title ?? id);
        setMode(record?.mode ?? null);
        setSummary(loaded);
        setStatus('open');
        await refreshAnalysis();
      } catch (failure) {
        if (!(failure instanceof RequestCancelled)) setError((failure as Error).message);
      } finally {
        setLoad(null);
      }
    },
    [refreshAnalysis],
  );

  const openCase = useCallback(
    (id: string) => runLoad('Reopening the last case', id, (onProgress) => engineClient().start({ type: 'open-case', caseId: id }, onProgress)),
    [runLoad],
  );

  const importFiles = useCallback(
    (files: File[]) => {
      const id = newCaseId();
      return runLoad(`Importing ${files.map((f) => f.name).join(', ')}`, id, (onProgress) =>
        engineClient().start({ type: 'import-files', caseId: id, files: files.map((f) => ({ blob: f, name: f.name })) }, onProgress),
      );
    },
    [runLoad],
  );

  const followLive = useCallback(async () => {
    stopFollowing.current?.();
    let id = caseId;
    let after: string | undefined;
    const current = id ? await caseDatabase().cases.get(id) : undefined;
    if (current?.mode === 'live') after = current.liveCursor;
    else {
      id = `live-${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${crypto.randomUUID().slice(0, 8)}`;
      const now = new Date().toISOString();
      await caseDatabase().cases.put({ id, title: `Live: lab collector, from ${now.slice(0, 19).replace('T', ' ')} UTC`, mode: 'live', createdAt: now, updatedAt: now, clusterIds: [], status: 'open' });
      await engineClient().request({ type: 'append-events', caseId: id, events: [] });
      setCaseId(id);
      setTitle(`Live: lab collector, from ${now.slice(0, 19).replace('T', ' ')} UTC`);
      setSummary({ caseId: id, eventCount: 0, firstTime: null, lastTime: null, unattributedCount: 0, countsByKind: {} });
      setStatus('open');
      setMode('live');
      await refreshAnalysis();
    }
    stopFollowing.current = follow(id!, after, setLive);
  }, [caseId, refreshAnalysis]);

  const stopLive = useCallback(() => {
    stopFollowing.current?.();
    stopFollowing.current = null;
  }, []);

  useEffect(() => {
    let live = true;
    void (async () => {
      const last = await caseDatabase().cases.orderBy('updatedAt').last();
      if (!live) return;
      if (last) await openCase(last.id);
      else setStatus('none');
    })().catch((failure: Error) => {
      setError(`The case store could not be read: ${failure.message}`);
      setStatus('none');
    });
    return () => {
      live = false;
    };
  }, [openCase]);

  useEffect(
    () =>
      engineClient().onChange((changed) => {
        setSummary(changed);
        void refreshAnalysis();
      }),
    [refreshAnalysis],
  );

  const value = useMemo<CaseState>(
    () => ({ status, caseId, title, summary, analysis, load, error, importFiles, dismissError: () => setError(null), mode, live, followLive, stopLive }),
    [status, caseId, title, summary, analysis, load, error, importFiles, mode, live, followLive, stopLive],
  );
  return <CaseContext.Provider value={value}>{children}</CaseContext.Provider>;
}
