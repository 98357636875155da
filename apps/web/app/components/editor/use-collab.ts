import { shouldReconnect } from './close-policy.ts';
import { editorChunk, loadEditor } from './lazy-editor.tsx';
import {
  documentLanguages, PRESENCE_FIELD, readPresence, readSections, sectionsMap, type DocumentLanguages, type Presence, type PresenceIdentity, type SectionMeta, type SectionTranslation,
} from '@sopu/doc-model';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { useEffect, useRef, useState } from 'react';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';
/** Why the server closed the connection for good: the session ended (4401) or access is gone (4404). */
export type Ended = 'session' | 'access' | null;

export interface Collab {
  doc: Y.Doc;
  provider: WebsocketProvider;
  connection: ConnectionState;
  synced: boolean;
  /** Synced at least once: the editors can mount, and stay mounted through disconnects (offline editing). */
  loaded: boolean;
  /** Local edits made while not connected, not yet sent to the server. */
  unsaved: boolean;
  ended: Ended;
  sections: SectionMeta[];
  presence: Array<Presence & { clientId: number }>;
  /** A bilingual document's languages (decision 026), live: null for a document in one language. */
  languages: DocumentLanguages | null;
  /** Each section's translation state, live (empty in one language). */
  translations: SectionTranslation[];
}


const CLOSE_UNAUTHENTICATED = 4401;
const CLOSE_NOT_FOUND = 4404;

/**
 * Connects one document: a Y.Doc and a y-websocket provider to /collab/<documentId>. Created in an effect (React's
 * StrictMode mounts effects twice in development) and destroyed on unmount.
 */
/** A change the server tells this page of: a thread of the document changed, or the person has a notification. */
export type ChangeEvent = { kind: 'thread'; threadId: string } | { kind: 'notification' };

/** Sopu's own message type on the collab socket (services/collab/src/protocol.ts): change events. */
const MESSAGE_SOPU_EVENTS = 100;

function subscribeFrame(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SOPU_EVENTS);
  encoding.writeVarUint(encoder, 0);
  return encoding.toUint8Array(encoder);
}

function connect(documentId: string): { doc: Y.Doc; provider: WebsocketProvider } {
  const doc = new Y.Doc();
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const provider = new WebsocketProvider(`${scheme}://${window.location.host}/collab`, documentId, doc, { disableBc: true, maxBackoffTime: 5000, shouldReconnect });
  return { doc, provider };
}

/** A connection opened before the page hydrated (connectEarly), until useCollab takes it over; with how it closed, if it did. */
let early: { documentId: string; doc: Y.Doc; provider: WebsocketProvider; closed: CloseEvent | null } | null = null;

/**
 * Opens the document's connection as the page's code starts, before React hydrates the page: the socket's upgrade
 * and sync then overlap hydration instead of following it. useCollab takes it over (for another document it closes
 * it and connects anew).
 */
export function connectEarly(documentId: string): void {
  if (early) return;
  const opened = { documentId, ...connect(documentId), closed: null as CloseEvent | null };
  opened.provider.on('connection-close', (event: CloseEvent | null) => {
    if (event) opened.closed = event;
  });
  early = opened;
}

export function useCollab(documentId: string, me: PresenceIdentity, onEvents?: (events: ChangeEvent[]) => void): Collab | null {
  const [collab, setCollab] = useState<Collab | null>(null);
  const eventsRef = useRef(onEvents);
  eventsRef.current = onEvents;

  useEffect(() => {
    const adopted = early?.documentId === documentId ? early : null;
    if (early && !adopted) {
      early.provider.destroy();
      early.doc.destroy();
    }
    early = null;
    const { doc, provider } = adopted ?? connect(documentId);
    provider.awareness.setLocalStateField(PRESENCE_FIELD, { ...me, section: null } satisfies Presence);

    let state: Omit<Collab, 'doc' | 'provider'> = { connection: 'connecting', synced: false, loaded: false, unsaved: false, ended: null, sections: [], presence: [], languages: null, translations: [] };
    let everConnected = false;
    const publish = (patch: Partial<typeof state>) => {
      state = { ...state, ...patch };
      setCollab({ doc, provider, ...state });
    };
    const onLine = () => navigator.onLine;

    // Change events (threads, notifications) come over the same authorised socket, once subscribed on each connect.
    provider.messageHandlers[MESSAGE_SOPU_EVENTS] = (_encoder, decoder) => {
      try {
        const parsed = JSON.parse(decoding.readVarString(decoder)) as { events?: unknown };
        const events = Array.isArray(parsed.events) ? parsed.events.filter((e): e is ChangeEvent => typeof e === 'object' && e !== null && (e.kind === 'thread' || e.kind === 'notification')) : [];
        if (events.length > 0) eventsRef.current?.(events);
      } catch {
        // Not ours to fail on: an unreadable event is skipped.
      }
    };
    provider.on('status', ({ status }: { status: 'connected' | 'connecting' | 'disconnected' }) => {
      if (status === 'connected') {
        everConnected = true;
        provider.ws?.send(subscribeFrame());
      }
      const connection: ConnectionState = status === 'connected' ? 'connected' : !onLine() ? 'offline' : everConnected ? 'reconnecting' : 'connecting';
      publish({ connection });
    });
    provider.on('sync', (synced: boolean) => publish({ synced, loaded: state.loaded || synced, unsaved: synced ? false : state.unsaved }));
    provider.on('connection-close', (event: CloseEvent | null) => {
      if (event?.code === CLOSE_UNAUTHENTICATED || event?.code === CLOSE_NOT_FOUND) {
        provider.shouldConnect = false;
        publish({ ended: event.code === CLOSE_UNAUTHENTICATED ? 'session' : 'access', connection: 'offline' });
      }
    });
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      if (origin !== provider && (!provider.wsconnected || !provider.synced)) publish({ unsaved: true });
    };
    doc.on('update', onUpdate);
    // Which language changed since a translation was marked in line is read from the texts themselves: at most a few
    // times a second while people type (reading means copying the document), and once more when the typing stops.
    // The page re-renders only when what it shows changed: the languages, a section's state, or the text a stale
    // section's flag shows as the change (typing elsewhere, or in a document of one language, changes none of these).
    let translationTimer: ReturnType<typeof setTimeout> | undefined;
    let closed = false;
    let shown = JSON.stringify(null);
    const readTranslations = () => {
      translationTimer = undefined;
      const languages = documentLanguages(doc);
      // Reading the translation states needs the editor's schema, in the editor's chunk: until it has come, the
      // languages alone (no section flagged), then again with the states.
      const chunk = editorChunk();
      if (languages && !chunk) loadEditor().then(() => !closed && onTranslations(), () => undefined);
      const translations = languages && chunk ? (chunk.documentTranslations(doc) ?? []) : [];
      const signature = JSON.stringify([languages, translations.map((t) => [t.key, t.states, t.changed, t.mark?.at ?? null, t.changed.length > 0 && (t.states.fi === 'stale' || t.states.sv === 'stale') ? t.texts : null])]);
      if (signature === shown) return;
      shown = signature;
      publish({ languages, translations });
    };
    const onTranslations = () => {
      translationTimer ??= setTimeout(readTranslations, 150);
    };
    doc.on('update', onTranslations);
    const onSections = () => publish({ sections: readSections(doc) });
    sectionsMap(doc).observeDeep(onSections);
    const onAwareness = () => {
      const presence: Collab['presence'] = [];
      for (const [clientId, value] of provider.awareness.getStates()) {
        // States come from other clients through the server: read defensively, a malformed one is skipped.
        const person = readPresence(value);
        if (person) presence.push({ ...person, clientId });
      }
      publish({ presence });
    };
    provider.awareness.on('change', onAwareness);
    // The browser knows it is offline before a silent socket times out (y-websocket waits 30 s): drop the socket at
    // once, so that edits count as unsaved, and reconnect when the network is back (unless access has ended).
    const onNetwork = () => {
      if (!onLine()) provider.disconnect();
      else if (!state.ended) provider.connect();
      publish({ connection: onLine() ? (provider.wsconnected ? 'connected' : 'reconnecting') : 'offline' });
    };
    window.addEventListener('online', onNetwork);
    window.addEventListener('offline', onNetwork);
    if (adopted) {
      // What the early connection did before these handlers listened: the same, said once now.
      if (adopted.closed && (adopted.closed.code === CLOSE_UNAUTHENTICATED || adopted.closed.code === CLOSE_NOT_FOUND)) {
        provider.shouldConnect = false;
        state = { ...state, ended: adopted.closed.code === CLOSE_UNAUTHENTICATED ? 'session' : 'access', connection: 'offline' };
      } else if (provider.wsconnected) {
        everConnected = true;
        provider.ws?.send(subscribeFrame());
        state = { ...state, connection: 'connected' };
      }
      if (provider.synced) {
        state = { ...state, synced: true, loaded: true, sections: readSections(doc) };
        onTranslations();
      }
    }
    publish({});

    return () => {
      closed = true;
      window.removeEventListener('online', onNetwork);
      window.removeEventListener('offline', onNetwork);
      provider.awareness.off('change', onAwareness);
      doc.off('update', onUpdate);
      doc.off('update', onTranslations);
      clearTimeout(translationTimer);
      provider.destroy();
      doc.destroy();
      setCollab(null);
    };
    // `me` is stable for the page's lifetime; reconnecting on its identity would drop the socket needlessly.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [documentId]);

  return collab;
}
