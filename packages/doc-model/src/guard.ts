import type { NodeType } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { attributeProblem, childElementType, markProblem, SECTION_NODE, textAllowedIn } from './content-rules.ts';
import { BILINGUAL_MAP, documentLanguages, parallelFragmentName, type DocumentLanguage } from './bilingual.ts';
import { GENERATED_MAP } from './generated.ts';
import { isSectionStatus, REASON_MAX_LENGTH, SECTIONS_MAP, sectionFragment, sectionFragmentName, sectionsMap, sectionStatusProblem } from './layout.ts';
import { templateFor, type DocumentKind } from './templates.ts';

/**
 * The layout guard: what a client's Yjs update may do to a document, decided before the update is applied, and the
 * repair of section metadata that concurrent (individually valid) changes can still leave wrong.
 *
 * A client may write the text of the template's sections (`section:<key>` fragments; in a bilingual document also
 * the parallel `section:<key>:<lang>` of its other language, decision 026) and a section's own status fields. It may
 * not write the `bilingual` map (the document's languages and translation marks are the server's) or the `generated` map (generated.ts), add top-level types, add, replace or delete entries of the `sections` map (the template's
 * sections are fixed; only the server's use cases change the shape), write any other metadata field, or refer to
 * content the server does not have. In a section's text it may write only what the editor's ProseMirror schema allows
 * where it writes it (content-rules.ts): node types the parent admits, their own attributes with valid values, text
 * where the parent holds text, marks the parent allows with valid attributes. Such an update is refused whole:
 * nothing of it is applied, stored or relayed.
 */

/** Section fields a client may write; `order` and anything else belong to the server. */
export const CLIENT_SECTION_FIELDS = ['status', 'reason', 'updatedBy', 'updatedAt'] as const;
const CLIENT_FIELDS: ReadonlySet<string> = new Set(CLIENT_SECTION_FIELDS);
const ID_MAX_LENGTH = 100;

export type UpdateProblem =
  /** The bytes are not a Yjs update. */
  | 'malformed'
  /** A top-level type outside the layout (another name than `sections` and the template's section fragments). */
  | 'unknown_root'
  /** Adds, replaces or deletes an entry of the `sections` map. */
  | 'layout_change'
  /** Writes a section field clients may not write, or writes inside a field. */
  | 'forbidden_field'
  /** A section field of the wrong type, an unknown status, an over-long reason. */
  | 'invalid_value'
  /** Content the document model never holds (subdocuments, binary, foreign types in the text). */
  | 'forbidden_content'
  /** Text content the editor's schema does not allow there: a node type, an attribute or its value, a mark. */
  | 'not_in_schema'
  /** Refers to content (or deletes ranges) that neither the document nor the update has. */
  | 'unresolved'
  /** Writes under a client id that belongs to someone else. */
  | 'foreign_client'
  /**
   * Marks a section agreed, or changes the metadata of a section marked agreed: both are the negotiation's
   * decisions, made on the server (core's negotiation use cases), never by a client (docs/decisions/025).
   */
  | 'locked_section';

export type GuardVerdict =
  | { ok: true; clients: number[] }
  /** The update starts after what the document has of a client: hold it until the missing part arrives. */
  | { ok: false; incomplete: true }
  | { ok: false; incomplete?: false; problem: UpdateProblem; detail: string };

type Struct = Y.Item | Y.GC | Y.Skip;
/**
 * What the children of a type in a section's text are: those of a node of a schema type (the section fragment is
 * the top node), the characters and formatting of a run of text inside such a node, or of something the schema
 * has no place for (nothing may be written there). `deleted`: the type is gone; what is written into it is
 * deleted on arrival, whatever it is (a client may still be typing into what the server repaired away).
 */
type TextNode = { of: 'node'; type: NodeType } | { of: 'text'; in: NodeType } | { of: 'none' } | { of: 'deleted' };
/** Where a parent type sits in the layout. */
type Slot =
  | { kind: 'sections' }
  | { kind: 'entry'; key: string }
  | { kind: 'inside_entry' }
  | { kind: 'text'; key: string; node: TextNode }
  | { kind: 'unknown_root'; name: string }
  /** The `bilingual` map and anything in it: written by the server only. */
  | { kind: 'server_only' };
/** Where an item goes: its parent's slot and its key in a map parent. `gc`: it integrates as garbage. */
type Place = { slot: Slot; parentSub: string | null } | 'gc' | 'unresolved';

/** The update refers to structs of its writer that have not arrived yet. */
class Incomplete extends Error {}

class Refusal extends Error {
  constructor(
    readonly problem: UpdateProblem,
    detail: string,
  ) {
    super(detail);
  }
}

function validFieldValue(field: string, value: unknown, writer: string | undefined): boolean {
  switch (field) {
    case 'status':
      return isSectionStatus(value);
    case 'reason':
      return typeof value === 'string' && value.length <= REASON_MAX_LENGTH;
    case 'updatedBy':
      // Who changed a status is shown ("agreed: marked by …"): a client names only its own person.
      return typeof value === 'string' && value.length <= ID_MAX_LENGTH && (writer === undefined || value === writer);
    case 'updatedAt':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return false;
  }
}

/** The struct of `doc` that holds `id`, or undefined when the document does not have that clock of that client. */
function findInDoc(doc: Y.Doc, id: Y.ID): Y.Item | Y.GC | undefined {
  if (id.clock >= Y.getState(doc.store, id.client)) return undefined;
  const structs = doc.store.clients.get(id.client) as Array<Y.Item | Y.GC> | undefined;
  return structs ? structs[Y.findIndexSS(structs, id.clock)] : undefined;
}

/**
 * Decides whether a client's update may be applied to `doc`. `owns(client)` says whether the connection's person
 * may write under a client id the document already has (ids new to the document are free to claim). Never throws.
 */
export function checkClientUpdate(
  doc: Y.Doc,
  kind: DocumentKind,
  update: Uint8Array,
  owns: (client: number) => boolean = () => true,
  /** The writing person's user id: the only `updatedBy` they may write. */
  writer?: string,
): GuardVerdict {
  let decoded: { structs: Struct[]; ds: { clients: Map<number, Array<{ clock: number; len: number }>> } };
  try {
    decoded = Y.decodeUpdate(update) as unknown as typeof decoded;
  } catch (error) {
    return { ok: false, problem: 'malformed', detail: String(error) };
  }
  try {
    return new UpdateCheck(doc, kind, decoded.structs, owns, writer).run(decoded.ds.clients);
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, problem: error.problem, detail: error.message };
    if (error instanceof Incomplete) return { ok: false, incomplete: true };
    return { ok: false, problem: 'malformed', detail: String(error) };
  }
}

/**
 * The top-level names a client may write in a document of a kind: the sections map and its template's section
 * fragments, and in a bilingual document the fragments of its other language.
 */
const allowedRootsByKind = new Map<string, ReadonlySet<string>>();
function allowedRootsOf(kind: DocumentKind, parallel: DocumentLanguage | null): ReadonlySet<string> {
  const id = `${kind}:${parallel ?? ''}`;
  let names = allowedRootsByKind.get(id);
  if (!names) {
    const keys = templateFor(kind).map((s) => s.key);
    names = new Set([SECTIONS_MAP, ...keys.map(sectionFragmentName), ...(parallel ? keys.map((key) => parallelFragmentName(key, parallel)) : [])]);
    allowedRootsByKind.set(id, names);
  }
  return names;
}

/**
 * What the guard learns about a document's own types, kept between updates: a type's place in the layout never
 * changes once it is integrated (Yjs never moves a type), and the top-level types change only when the document
 * gets a new one (then the cache starts over). Checking an edit then walks only the update's own items.
 */
interface DocLayoutCache {
  shareSize: number;
  kind: DocumentKind;
  roots: Map<Y.AbstractType<any>, string>;
  slots: WeakMap<Y.AbstractType<any>, Slot>;
}
const layoutCaches = new WeakMap<Y.Doc, DocLayoutCache>();
function layoutCacheOf(doc: Y.Doc, kind: DocumentKind): DocLayoutCache {
  let cache = layoutCaches.get(doc);
  // A new top-level type, or another kind: start over. (A top-level type replaced under the same name is caught
  // where a type is looked up, #slotOfDocType.)
  if (!cache || cache.shareSize !== doc.share.size || cache.kind !== kind) {
    cache = { shareSize: doc.share.size, kind, roots: new Map([...doc.share.entries()].map(([name, type]) => [type, name])), slots: new WeakMap() };
    layoutCaches.set(doc, cache);
  }
  return cache;
}

class UpdateCheck {
  readonly #roots: Map<Y.AbstractType<any>, string>;
  readonly #sectionsRoot: Y.AbstractType<any> | undefined;
  readonly #bilingualRoot: Y.AbstractType<any> | undefined;
  readonly #generatedRoot: Y.AbstractType<any> | undefined;
  readonly #allowedRoots: ReadonlySet<string>;
  /** The update's structs per client, in clock order (as encoded). */
  readonly #byClient = new Map<number, Struct[]>();
  readonly #places = new Map<Y.Item, Place>();
  readonly #docSlots: WeakMap<Y.AbstractType<any>, Slot>;

  constructor(
    private readonly doc: Y.Doc,
    kind: DocumentKind,
    private readonly structs: Struct[],
    private readonly owns: (client: number) => boolean,
    private readonly writer: string | undefined,
  ) {
    const cache = layoutCacheOf(doc, kind);
    this.#roots = cache.roots;
    this.#docSlots = cache.slots;
    this.#sectionsRoot = doc.share.get(SECTIONS_MAP);
    this.#bilingualRoot = doc.share.get(BILINGUAL_MAP);
    this.#generatedRoot = doc.share.get(GENERATED_MAP);
    this.#allowedRoots = allowedRootsOf(kind, documentLanguages(doc)?.parallel ?? null);
    for (const struct of structs) {
      const list = this.#byClient.get(struct.id.client);
      if (list) list.push(struct);
      else this.#byClient.set(struct.id.client, [struct]);
    }
  }

  run(deletes: Map<number, Array<{ clock: number; len: number }>>): GuardVerdict {
    for (const [client, list] of this.#byClient) {
      // Clients send whole updates; skips only come from merging partial ones, and would leave parts pending.
      if (list.some((s) => s instanceof Y.Skip)) throw new Refusal('unresolved', `client ${client}: the update has gaps`);
      const first = list[0]!;
      const state = Y.getState(this.doc.store, client);
      if (first.id.clock > state) return { ok: false, incomplete: true };
      const last = list[list.length - 1]!;
      // Only what is new to the document is written; a resent part it already has is skipped by Yjs.
      if (last.id.clock + last.length > state && state > 0 && !this.owns(client)) {
        throw new Refusal('foreign_client', `client ${client} belongs to someone else`);
      }
    }
    for (const struct of this.structs) if (struct instanceof Y.Item) this.#checkItem(struct);
    for (const [client, ranges] of deletes) for (const range of ranges) this.#checkDelete(client, range.clock, range.len);
    return { ok: true, clients: [...this.#byClient.keys()] };
  }

  #checkItem(item: Y.Item) {
    const content = item.content;
    if (content instanceof Y.ContentDoc || content instanceof Y.ContentBinary) throw new Refusal('forbidden_content', `${content.constructor.name} at ${item.id.client}:${item.id.clock}`);
    const place = this.#placeOf(item);
    if (place === 'gc') return;
    if (place === 'unresolved') throw new Refusal('unresolved', `the parent of ${item.id.client}:${item.id.clock} is unknown`);
    const { slot, parentSub } = place;
    switch (slot.kind) {
      case 'unknown_root':
        throw new Refusal('unknown_root', `top-level type "${slot.name.slice(0, 80)}"`);
      case 'server_only':
        throw new Refusal('forbidden_field', 'writes the document\'s languages, translation marks or generated tables');
      case 'sections':
        throw new Refusal('layout_change', `writes the section entry "${String(parentSub).slice(0, 80)}"`);
      case 'inside_entry':
        throw new Refusal('forbidden_field', 'writes inside a section field');
      case 'entry': {
        if (parentSub === null || !CLIENT_FIELDS.has(parentSub)) throw new Refusal('forbidden_field', `section ${slot.key}: field "${String(parentSub).slice(0, 80)}"`);
        const current = this.#sectionsRoot instanceof Y.Map ? (this.#sectionsRoot as Y.Map<unknown>).get(slot.key) : undefined;
        if (current instanceof Y.Map && current.get('status') === 'agreed') throw new Refusal('locked_section', `section ${slot.key} is agreed: only the host reopens it`);
        if (content instanceof Y.ContentDeleted) return;
        const values = content instanceof Y.ContentAny ? (content.arr as unknown[]) : null;
        if (!values || values.length !== 1 || !validFieldValue(parentSub, values[0], this.writer)) throw new Refusal('invalid_value', `section ${slot.key}: ${parentSub}`);
        if (parentSub === 'status' && values[0] === 'agreed') throw new Refusal('locked_section', `section ${slot.key}: "agreed" is the negotiation's decision, made on the server`);
        return;
      }
      case 'text':
        // The editor's text is XML elements (paragraphs, lists, tables) and XML text; nothing else belongs in it.
        if (content instanceof Y.ContentType && !(content.type instanceof Y.XmlElement || content.type instanceof Y.XmlText)) {
          throw new Refusal('forbidden_content', `section ${slot.key}: a ${content.type.constructor.name} in the text`);
        }
        this.#checkText(item, slot.key, slot.node, parentSub);
        return;
    }
  }

  /** An item of a section's text, against the editor's schema (content-rules.ts). */
  #checkText(item: Y.Item, key: string, node: TextNode, parentSub: string | null) {
    const content = item.content;
    if (content instanceof Y.ContentDeleted || node.of === 'deleted') return;
    const refuse = (what: string): never => {
      throw new Refusal('not_in_schema', `section ${key}: ${what}`);
    };
    if (node.of === 'none') return refuse('writes inside content the schema has no place for');
    if (parentSub !== null) {
      // A map entry of its parent: an attribute of a node, never of the section or of text.
      if (node.of !== 'node' || node.type === SECTION_NODE) return refuse(`an attribute "${parentSub.slice(0, 40)}" on ${node.of === 'node' ? 'the section' : 'text'}`);
      if (!(content instanceof Y.ContentAny) || content.arr.length !== 1) return refuse(`${node.type.name}.${parentSub.slice(0, 40)} holds no plain value`);
      const problem = attributeProblem(node.type, parentSub, content.arr[0]);
      if (problem) refuse(problem);
      return;
    }
    if (node.of === 'text') {
      if (content instanceof Y.ContentString) return;
      if (!(content instanceof Y.ContentFormat)) return refuse(`${content.constructor.name} inside text`);
      const problem = markProblem(node.in, content.key, content.value);
      if (problem) refuse(problem);
      return;
    }
    const child = content instanceof Y.ContentType ? content.type : null;
    const where = node.type === SECTION_NODE ? 'the section' : node.type.name;
    if (child instanceof Y.XmlElement) {
      if (!childElementType(node.type, child.nodeName)) refuse(`a "${child.nodeName.slice(0, 40)}" element in ${where}`);
    } else if (child instanceof Y.XmlText) {
      if (!textAllowedIn(node.type)) refuse(`text in ${where}`);
    } else refuse(`${content.constructor.name} in ${where}`);
  }

  /** The struct holding `id`, in the update or in the document. */
  #find(id: Y.ID): { struct: Struct; inUpdate: boolean } | undefined {
    const own = this.#byClient.get(id.client);
    if (own) {
      let lo = 0;
      let hi = own.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const s = own[mid]!;
        if (id.clock < s.id.clock) hi = mid - 1;
        else if (id.clock >= s.id.clock + s.length) lo = mid + 1;
        else return s instanceof Y.Skip ? this.#fromDoc(id) : { struct: s, inUpdate: true };
      }
    }
    return this.#fromDoc(id);
  }

  #fromDoc(id: Y.ID): { struct: Struct; inUpdate: boolean } | undefined {
    const struct = findInDoc(this.doc, id);
    return struct ? { struct, inUpdate: false } : undefined;
  }

  /**
   * Where an item of the update goes. An item with a left or right origin inherits its parent (and map key) from
   * that neighbour, which may itself be in the update: the chain is followed without recursion (a long offline
   * edit is a long chain).
   */
  #placeOf(start: Y.Item): Place {
    const chain: Y.Item[] = [];
    let item: Y.Item = start;
    let result: Place | undefined;
    for (;;) {
      const known = this.#places.get(item);
      if (known) {
        result = known;
        break;
      }
      chain.push(item);
      const parent = item.parent as unknown;
      if (typeof parent === 'string') {
        result = { slot: this.#rootSlot(parent), parentSub: item.parentSub };
        break;
      }
      if (parent instanceof Y.ID) {
        result = this.#placeUnderParent(parent, item.parentSub);
        break;
      }
      const neighbour = item.origin ?? item.rightOrigin;
      if (!neighbour) {
        result = 'unresolved';
        break;
      }
      const found = this.#find(neighbour);
      if (!found) {
        result = 'unresolved';
        break;
      }
      if (found.struct instanceof Y.GC) {
        result = 'gc';
        break;
      }
      if (found.struct instanceof Y.Skip) {
        result = 'unresolved';
        break;
      }
      if (!found.inUpdate) {
        result = this.#placeOfDocItem(found.struct);
        break;
      }
      if (chain.length > this.structs.length) {
        result = 'unresolved';
        break;
      }
      item = found.struct;
    }
    for (const visited of chain) this.#places.set(visited, result);
    return result;
  }

  /** An item whose parent is named by id: the parent must be a type (ContentType), in the update or the document. */
  #placeUnderParent(parentId: Y.ID, parentSub: string | null): Place {
    const found = this.#find(parentId);
    if (!found) return 'unresolved';
    if (found.struct instanceof Y.GC) return 'gc';
    if (!(found.struct instanceof Y.Item) || !(found.struct.content instanceof Y.ContentType)) return 'unresolved';
    if (!found.inUpdate) return { slot: this.#slotOfDocType(found.struct.content.type), parentSub };
    // A type created by this same update: where that type itself goes decides its children's slot.
    const typePlace = this.#placeOf(found.struct);
    if (typePlace === 'gc' || typePlace === 'unresolved') return typePlace;
    return { slot: this.#childSlot(typePlace.slot, typePlace.parentSub, found.struct.content.type), parentSub };
  }

  #placeOfDocItem(item: Y.Item): Place {
    const parent = item.parent;
    if (!(parent instanceof Y.AbstractType)) return 'gc';
    return { slot: this.#slotOfDocType(parent), parentSub: item.parentSub };
  }

  #rootSlot(name: string): Slot {
    if (name === SECTIONS_MAP) return { kind: 'sections' };
    if (name === BILINGUAL_MAP || name === GENERATED_MAP) return { kind: 'server_only' };
    if (this.#allowedRoots.has(name)) return { kind: 'text', key: name.slice('section:'.length), node: { of: 'node', type: SECTION_NODE } };
    return { kind: 'unknown_root', name };
  }

  /** The slot of the children of `type`, from the slot the type itself sits in (under `key` of its parent). */
  #childSlot(slot: Slot, key: string | null, type: Y.AbstractType<any>): Slot {
    switch (slot.kind) {
      case 'sections':
        return key === null ? { kind: 'inside_entry' } : { kind: 'entry', key };
      case 'entry':
      case 'inside_entry':
        return { kind: 'inside_entry' };
      case 'text':
        return { kind: 'text', key: slot.key, node: childNode(slot.node, key, type) };
      default:
        return slot;
    }
  }

  #slotOfDocType(type: Y.AbstractType<any>): Slot {
    const cached = this.#docSlots.get(type);
    if (cached) return cached;
    let slot: Slot;
    let root = this.#roots.get(type);
    if (root === undefined && !type._item && type !== this.#sectionsRoot && type !== this.#bilingualRoot && type !== this.#generatedRoot) {
      // A top-level type Yjs replaced by its typed instance (doc.getXmlFragment after an update created it plain):
      // the same names, new objects. Learn them again.
      this.#roots.clear();
      for (const [name, t] of this.doc.share) this.#roots.set(t, name);
      root = this.#roots.get(type);
    }
    if (root !== undefined) slot = this.#rootSlot(root);
    else if (type === this.#sectionsRoot) slot = { kind: 'sections' };
    else if (type === this.#bilingualRoot || type === this.#generatedRoot) slot = { kind: 'server_only' };
    else {
      const own = type._item;
      const parent = own?.parent;
      slot = own && parent instanceof Y.AbstractType ? this.#childSlot(this.#slotOfDocType(parent), own.parentSub, type) : { kind: 'unknown_root', name: '?' };
      // Deletion is final in Yjs: what is written into a deleted type is deleted as it arrives.
      if (slot.kind === 'text' && own?.deleted) slot = { ...slot, node: { of: 'deleted' } };
    }
    this.#docSlots.set(type, slot);
    return slot;
  }

  #checkDelete(client: number, clock: number, len: number) {
    const end = clock + len;
    const state = Y.getState(this.doc.store, client);
    if (end > state) {
      // The part beyond what the document has must be the update's own new structs, or structs of the writer's own
      // that are still on their way (a deletion typed while the reconnect sync is under way): then the update is
      // held until they arrive. Deleting ahead in someone else's client id is refused: applied later, it would
      // delete that person's next edits as they arrive.
      const own = this.#byClient.get(client);
      const ownEnd = own && own.length > 0 ? own[own.length - 1]!.id.clock + own[own.length - 1]!.length : 0;
      if (end > Math.max(state, ownEnd)) {
        if (state === 0 || this.owns(client)) throw new Incomplete();
        throw new Refusal('unresolved', `deletes ${client}:${clock}+${len}, which nobody has`);
      }
    }
    if (clock >= state) return;
    const structs = this.doc.store.clients.get(client) as Array<Y.Item | Y.GC>;
    for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i]!.id.clock < Math.min(end, state); i++) {
      const struct = structs[i]!;
      if (!(struct instanceof Y.Item) || struct.deleted) continue;
      if (struct.parent === this.#sectionsRoot) throw new Refusal('layout_change', `deletes the section entry "${String(struct.parentSub).slice(0, 80)}"`);
      if (struct.parent === this.#bilingualRoot) throw new Refusal('forbidden_field', 'deletes the document\'s languages or translation marks');
      if (struct.parent === this.#generatedRoot) throw new Refusal('forbidden_field', 'deletes the marks of generated tables');
    }
  }
}

/** What the children of `type` are, `type` being a child (or, with a `key`, an attribute value) of `parent`. */
function childNode(parent: TextNode, key: string | null, type: Y.AbstractType<any>): TextNode {
  if (parent.of === 'deleted') return parent;
  if (parent.of !== 'node' || key !== null) return { of: 'none' };
  if (type instanceof Y.XmlElement) {
    const element = childElementType(parent.type, type.nodeName);
    return element ? { of: 'node', type: element } : { of: 'none' };
  }
  if (type instanceof Y.XmlText) return textAllowedIn(parent.type) ? { of: 'text', in: parent.type } : { of: 'none' };
  return { of: 'none' };
}

export interface SectionRepair {
  key: string;
  /** What was wrong: the entry was missing, or which fields were invalid. */
  problems: string[];
}

/**
 * Puts every template section's metadata right, in one transaction with `origin`: a missing entry is added, a
 * missing or invalid order is set from the template, an unknown status becomes drafting, a non-string or over-long
 * reason is emptied, and "not applicable" without a reason goes back to drafting. Never throws; returns what it
 * repaired (nothing, usually).
 */
export function repairSections(doc: Y.Doc, kind: DocumentKind, origin: unknown, now: number = Date.now()): SectionRepair[] {
  const repairs: SectionRepair[] = [];
  const sections = sectionsMap(doc);
  const template = templateFor(kind);
  doc.transact(() => {
    template.forEach(({ key }, order) => {
      const problems: string[] = [];
      let entry = sections.get(key);
      if (!(entry instanceof Y.Map)) {
        entry = new Y.Map<unknown>();
        sections.set(key, entry);
        problems.push('missing');
      }
      const meta = entry as Y.Map<unknown>;
      if (meta.get('order') !== order) {
        meta.set('order', order);
        if (!problems.includes('missing')) problems.push('order');
      }
      const status = meta.get('status');
      const reason = meta.get('reason');
      const reasonOk = typeof reason === 'string' && reason.length <= REASON_MAX_LENGTH;
      if (!reasonOk) problems.push('reason');
      if (!isSectionStatus(status)) problems.push('status');
      let problem: string | null = sectionStatusProblem(status, reasonOk ? reason : '');
      // Agreed means agreed on a text: an empty section cannot be.
      if (!problem && status === 'agreed' && !fragmentHasText(sectionFragment(doc, key))) problem = 'agreed_without_text';
      if (problem || !reasonOk) {
        const keep = !problem && isSectionStatus(status) ? status : 'drafting';
        if (problem === 'reason_required' || problem === 'agreed_without_text') problems.push(problem);
        if (meta.get('status') !== keep) meta.set('status', keep);
        if (!reasonOk || keep !== 'not_applicable') {
          if (meta.get('reason') !== '') meta.set('reason', '');
        }
        meta.set('updatedBy', 'server');
        meta.set('updatedAt', now);
      }
      if (problems.length > 0) repairs.push({ key, problems: [...new Set(problems)] });
    });
  }, origin);
  return repairs;
}

/** Whether a section's text has any character (cheap: no ProseMirror, no copy). */
export function fragmentHasText(type: Y.XmlFragment | Y.XmlElement): boolean {
  for (const child of type.toArray()) {
    if (child instanceof Y.XmlText ? child.length > 0 : child instanceof Y.XmlElement && fragmentHasText(child)) return true;
  }
  return false;
}

/** The sections whose text (in either language of a bilingual document) a transaction changed, from the types it touched. */
export function changedSections(transaction: Y.Transaction): Set<string> {
  const keys = new Set<string>();
  for (const type of transaction.changedParentTypes.keys()) {
    let root: Y.AbstractType<any> = type;
    while (root._item && root._item.parent instanceof Y.AbstractType) root = root._item.parent;
    for (const [name, shared] of transaction.doc.share) {
      if (shared === root && name.startsWith('section:')) keys.add(name.slice('section:'.length).split(':')[0]!);
    }
  }
  return keys;
}

/**
 * "Agreed" holds for the text that was agreed: when a section's text changes after the mark, the section goes back
 * to drafting (the server does it, for everyone). Returns the sections it reopened.
 */
export function reopenAgreedSections(doc: Y.Doc, keys: Iterable<string>, origin: unknown, now: number = Date.now()): string[] {
  const reopened: string[] = [];
  doc.transact(() => {
    for (const key of keys) {
      const meta = sectionsMap(doc).get(key);
      if (!(meta instanceof Y.Map) || meta.get('status') !== 'agreed') continue;
      meta.set('status', 'drafting');
      meta.set('reason', '');
      meta.set('updatedBy', 'server');
      meta.set('updatedAt', now);
      reopened.push(key);
    }
  }, origin);
  return reopened;
}
