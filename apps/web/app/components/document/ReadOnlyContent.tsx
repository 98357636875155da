import { isAllowedLinkHref, type ProseMirrorJSON } from '@sopu/doc-model';
import type { ReactNode } from 'react';

/** A mark's element around text: the editor's vocabulary (packages/doc-model schema), nothing else. */
function withMarks(text: ReactNode, marks: ProseMirrorJSON['marks'], key: string): ReactNode {
  let out = text;
  for (const mark of marks ?? []) {
    switch (mark.type) {
      case 'bold':
        out = <strong key={key}>{out}</strong>;
        break;
      case 'italic':
        out = <em key={key}>{out}</em>;
        break;
      case 'underline':
        out = <u key={key}>{out}</u>;
        break;
      case 'strike':
        out = <s key={key}>{out}</s>;
        break;
      case 'code':
        out = <code key={key}>{out}</code>;
        break;
      case 'link': {
        const href = typeof mark.attrs?.href === 'string' && isAllowedLinkHref(mark.attrs.href) ? mark.attrs.href : undefined;
        out = href ? (
          <a key={key} href={href} rel="noopener noreferrer nofollow">
            {out}
          </a>
        ) : (
          out
        );
        break;
      }
      default:
        break;
    }
  }
  return out;
}

function children(node: ProseMirrorJSON, key: string): ReactNode[] {
  return (node.content ?? []).map((child, i) => <Node key={`${key}.${i}`} node={child} path={`${key}.${i}`} />);
}

/** One node of a frozen version's content, rendered as React elements (never as HTML strings). */
function Node({ node, path }: { node: ProseMirrorJSON; path: string }): ReactNode {
  switch (node.type) {
    case 'text':
      return withMarks(node.text ?? '', node.marks, path);
    case 'paragraph':
      return <p>{children(node, path)}</p>;
    case 'heading': {
      const level = Number(node.attrs?.level ?? 3);
      return level <= 2 ? <h3 className="frozen__h2">{children(node, path)}</h3> : <h4 className="frozen__h3">{children(node, path)}</h4>;
    }
    case 'bulletList':
      return <ul>{children(node, path)}</ul>;
    case 'orderedList':
      return <ol start={typeof node.attrs?.start === 'number' ? node.attrs.start : undefined}>{children(node, path)}</ol>;
    case 'listItem':
      return <li>{children(node, path)}</li>;
    case 'blockquote':
      return <blockquote>{children(node, path)}</blockquote>;
    case 'codeBlock':
      return (
        <pre>
          <code>{children(node, path)}</code>
        </pre>
      );
    case 'hardBreak':
      return <br />;
    case 'horizontalRule':
      return <hr />;
    case 'table':
      return (
        <div className="table-scroll">
          <table>
            <tbody>{children(node, path)}</tbody>
          </table>
        </div>
      );
    case 'tableRow':
      return <tr>{children(node, path)}</tr>;
    case 'tableHeader':
      return <th scope="col">{children(node, path)}</th>;
    case 'tableCell':
      return <td>{children(node, path)}</td>;
    default:
      return <>{children(node, path)}</>;
  }
}

/** A section's frozen content (a version), read-only. */
export function ReadOnlyContent({ content }: { content: ProseMirrorJSON }) {
  return <div className="frozen">{children(content, 'c')}</div>;
}
