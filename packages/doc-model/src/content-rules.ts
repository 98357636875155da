import type { MarkType, NodeType } from '@tiptap/pm/model';
import { sopuSchema } from './schema.ts';

/*
 * What a section's Yjs text may hold, read off the editor's ProseMirror schema (schema.ts) and nothing else: a
 * section fragment is the schema's top node; an XmlElement is a node of the type its name says, allowed where the
 * parent's content expression admits that type; an XmlText is a run of text where the parent admits text; its
 * formatting attributes are marks the parent allows, with attributes the mark type accepts. The layout guard
 * (guard.ts) refuses updates that break this, `repairContent` (repair.ts) removes what a past guard let in, and the
 * canonical form reads content through the same repair.
 */

/** The node type a section fragment stands for. */
export const SECTION_NODE: NodeType = sopuSchema.topNodeType;

const allowedCache = new Map<NodeType, ReadonlySet<NodeType>>();

/** Every node type that may appear anywhere in `type`'s content (the states of its content expression). */
export function allowedChildren(type: NodeType): ReadonlySet<NodeType> {
  let allowed = allowedCache.get(type);
  if (allowed) return allowed;
  const found = new Set<NodeType>();
  const seen = new Set([type.contentMatch]);
  const queue = [type.contentMatch];
  while (queue.length > 0) {
    const match = queue.pop()!;
    for (let i = 0; i < match.edgeCount; i++) {
      const edge = match.edge(i);
      found.add(edge.type);
      if (!seen.has(edge.next)) {
        seen.add(edge.next);
        queue.push(edge.next);
      }
    }
  }
  allowedCache.set(type, (allowed = found));
  return allowed;
}

/** The element node type named `name`, or undefined when the schema has none (text is no element). */
export function elementType(name: string): NodeType | undefined {
  const type = Object.hasOwn(sopuSchema.nodes, name) ? sopuSchema.nodes[name] : undefined;
  return type && !type.isText ? type : undefined;
}

/** Whether an XmlText may sit in a node of `parent`'s type. */
export function textAllowedIn(parent: NodeType): boolean {
  return allowedChildren(parent).has(sopuSchema.nodes.text!);
}

/** The type of an XmlElement named `name` inside `parent`, or undefined when the schema does not allow it there. */
export function childElementType(parent: NodeType, name: string): NodeType | undefined {
  const type = elementType(name);
  return type && allowedChildren(parent).has(type) ? type : undefined;
}

/** Why a node's attribute may not hold `value` (an unknown attribute, a value its validator refuses), or null. */
export function attributeProblem(type: NodeType, key: string, value: unknown): string | null {
  if (!Object.hasOwn(type.spec.attrs ?? {}, key)) return `${type.name} has no attribute "${key.slice(0, 40)}"`;
  try {
    type.create({ [key]: value });
    return null;
  } catch {
    return `${type.name}.${key} may not be ${String(JSON.stringify(value)).slice(0, 60)}`;
  }
}

// y-prosemirror names a mark that may overlap itself `<name>--<hash>` (one format key per distinct value).
const HASHED_MARK = /^(.*)--[a-zA-Z0-9+/=]{8}$/;

/** The mark type a formatting key of an XmlText stands for, or undefined. */
export function markTypeOf(key: string): MarkType | undefined {
  if (Object.hasOwn(sopuSchema.marks, key)) return sopuSchema.marks[key];
  const base = HASHED_MARK.exec(key)?.[1];
  const type = base !== undefined && Object.hasOwn(sopuSchema.marks, base) ? sopuSchema.marks[base] : undefined;
  return type && !type.excludes(type) ? type : undefined;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);

/** A mark's attribute values as the mark type keeps them: unknown keys and refused values left out. */
function keptMarkAttributes(type: MarkType, value: unknown): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  if (!isPlainObject(value)) return kept;
  for (const key of Object.keys(type.spec.attrs ?? {})) {
    if (!Object.hasOwn(value, key)) continue;
    try {
      type.create({ [key]: value[key] });
      kept[key] = value[key];
    } catch {
      // refused: the attribute is left to its default
    }
  }
  return kept;
}

/** Whether every attribute of the mark type accepts what it holds (a missing one, its default). */
function markAttributesComplete(type: MarkType, attrs: Record<string, unknown>): boolean {
  for (const [key, spec] of Object.entries(type.spec.attrs ?? {})) {
    if (Object.hasOwn(attrs, key)) continue;
    if (!Object.hasOwn(spec, 'default')) return false;
    // A default the validator refuses means the value must be given: a link without a usable href is no link.
    if (typeof spec.validate === 'function') {
      try {
        spec.validate(spec.default);
      } catch {
        return false;
      }
    }
  }
  return true;
}

/**
 * Why the formatting `{[key]: value}` of text inside a `parent` node breaks the schema, or null. `null` ends a
 * format and is always fine; a mark without attributes is `true` or `{}`; a mark with attributes is an object of
 * only its own attributes, each valid, none missing that has no usable default.
 */
export function markProblem(parent: NodeType, key: string, value: unknown): string | null {
  if (value === null) return null;
  const type = markTypeOf(key);
  if (!type) return `no mark "${key.slice(0, 40)}"`;
  if (!parent.allowsMarkType(type)) return `${parent.name} does not allow ${type.name}`;
  const names = Object.keys(type.spec.attrs ?? {});
  if (names.length === 0) return value === true || (isPlainObject(value) && Object.keys(value).length === 0) ? null : `${type.name} has no attributes`;
  if (!isPlainObject(value)) return `${type.name}: attributes expected`;
  const kept = keptMarkAttributes(type, value);
  if (Object.keys(kept).length !== Object.keys(value).length) return `${type.name}: ${Object.keys(value).filter((k) => !Object.hasOwn(kept, k)).join(', ').slice(0, 80)} not allowed`;
  return markAttributesComplete(type, kept) ? null : `${type.name}: a required attribute is missing`;
}

/**
 * The value a broken formatting `{[key]: value}` becomes: the mark's valid attributes, or null (no mark) when the
 * mark is not allowed there or cannot be kept without what was refused (a link whose href was unsafe).
 */
export function repairedMarkValue(parent: NodeType, key: string, value: unknown): Record<string, unknown> | null {
  const type = markTypeOf(key);
  if (!type || !parent.allowsMarkType(type)) return null;
  const kept = keptMarkAttributes(type, value);
  return markAttributesComplete(type, kept) ? kept : null;
}

/** ProseMirror JSON as stored in versions (canonical.ts ProseMirrorJSON), read defensively. */
interface NodeJSON {
  type: string;
  attrs?: Record<string, unknown>;
  content?: NodeJSON[];
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>;
  text?: string;
}

function cleanChildren(content: unknown, parent: NodeType): NodeJSON[] {
  const out: NodeJSON[] = [];
  if (!Array.isArray(content)) return out;
  for (const child of content as unknown[]) {
    if (!isPlainObject(child) || typeof child.type !== 'string') continue;
    if (child.type === 'text') {
      if (!textAllowedIn(parent) || typeof child.text !== 'string' || child.text === '') continue;
      const marks: NonNullable<NodeJSON['marks']> = [];
      for (const mark of Array.isArray(child.marks) ? (child.marks as unknown[]) : []) {
        if (!isPlainObject(mark) || typeof mark.type !== 'string' || !Object.hasOwn(sopuSchema.marks, mark.type)) continue;
        const attrs = repairedMarkValue(parent, mark.type, mark.attrs ?? {});
        if (attrs) marks.push(Object.keys(attrs).length > 0 ? { type: mark.type, attrs } : { type: mark.type });
      }
      out.push(marks.length > 0 ? { type: 'text', text: child.text, marks } : { type: 'text', text: child.text });
      continue;
    }
    const type = childElementType(parent, child.type);
    if (!type) continue;
    const node: NodeJSON = { type: type.name };
    if (isPlainObject(child.attrs)) {
      const attrs = Object.fromEntries(Object.entries(child.attrs).filter(([key, value]) => attributeProblem(type, key, value) === null));
      if (Object.keys(attrs).length > 0) node.attrs = attrs;
    }
    const children = cleanChildren(child.content, type);
    if (children.length > 0) node.content = children;
    out.push(node);
  }
  return out;
}

/**
 * A section's ProseMirror JSON (a `doc` node) with what the schema does not allow left out, by the same rules as
 * `repairContent`: a version frozen before a rule existed (a `javascript:` link, a heading level 9) can still be
 * restored or built on, without the schema's validators refusing the whole section.
 */
export function cleanSectionJSON<T extends NodeJSON>(json: T): T {
  const content = cleanChildren(json.content, SECTION_NODE);
  return (content.length > 0 ? { type: SECTION_NODE.name, content } : { type: SECTION_NODE.name }) as T;
}
