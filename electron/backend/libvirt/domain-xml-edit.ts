// Edits existing libvirt XML without losing anything: parsed with fast-xml-parser in document order, changed through
// small typed helpers, written back with its XMLBuilder (which escapes text and attributes). Never string
// concatenation. Plain Node; never imports electron.
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { AppError } from '@shared/errors';

/** One element in fast-xml-parser's ordered form: `{ tag: children[], ':@': { '@_attr': value } }`, or a text node. */
export type OrderedNode = Record<string, unknown>;

const options = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
} as const;

const parser = new XMLParser(options);
const builder = new XMLBuilder({ ...options, format: true, indentBy: '  ', suppressEmptyNode: true });

export function parseOrdered(xml: string): OrderedNode[] {
  try {
    return parser.parse(xml) as OrderedNode[];
  } catch (error) {
    throw new AppError('INTERNAL', 'libvirt returned XML that cannot be read', { detail: String(error) });
  }
}

export function buildOrdered(tree: OrderedNode[]): string {
  return builder.build(tree) as string;
}

export function tagOf(node: OrderedNode): string | undefined {
  return Object.keys(node).find((key) => key !== ':@' && key !== '#text');
}

export function childrenOf(node: OrderedNode): OrderedNode[] {
  const tag = tagOf(node);
  const children = tag ? node[tag] : undefined;
  return Array.isArray(children) ? (children as OrderedNode[]) : [];
}

/** Direct children with this tag. */
export function elements(node: OrderedNode, tag: string): OrderedNode[] {
  return childrenOf(node).filter((child) => tagOf(child) === tag);
}

export function element(node: OrderedNode, tag: string): OrderedNode | undefined {
  return elements(node, tag)[0];
}

/** The root element with this tag. */
export function rootElement(tree: OrderedNode[], tag: string): OrderedNode {
  const root = tree.find((node) => tagOf(node) === tag);
  if (!root) throw new AppError('INTERNAL', `libvirt returned XML without a <${tag}> element`);
  return root;
}

export function attribute(node: OrderedNode | undefined, name: string): string | undefined {
  const attributes = node?.[':@'] as Record<string, unknown> | undefined;
  const value = attributes?.[`@_${name}`];
  return typeof value === 'string' ? value : undefined;
}

export function setAttribute(node: OrderedNode, name: string, value: string): void {
  const attributes = (node[':@'] as Record<string, unknown> | undefined) ?? {};
  attributes[`@_${name}`] = value;
  node[':@'] = attributes;
}

export function textOf(node: OrderedNode | undefined): string | undefined {
  if (!node) return undefined;
  const textNode = childrenOf(node).find((child) => '#text' in child);
  const value = textNode?.['#text'];
  return typeof value === 'string' ? value : undefined;
}

export function setText(node: OrderedNode, value: string): void {
  const tag = tagOf(node);
  if (!tag) return;
  node[tag] = [{ '#text': value }];
}

export function removeChildren(node: OrderedNode, tag: string): void {
  const parentTag = tagOf(node);
  if (!parentTag) return;
  node[parentTag] = childrenOf(node).filter((child) => tagOf(child) !== tag);
}
