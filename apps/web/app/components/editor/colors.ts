// Caret and presence colours: each dark enough for white text at WCAG AA (≥ 4.5:1), and distinct from each other.
const PALETTE = ['#0b5394', '#a61c00', '#2f6b18', '#6b4f00', '#741b47', '#134f5c', '#5b3a9b', '#8a4b08', '#00695c', '#ad1457'];

/** A stable colour per person: the same user has the same colour in every browser and every session. */
export function colourFor(userId: string): string {
  let hash = 0;
  for (let i = 0; i < userId.length; i++) hash = (hash * 31 + userId.charCodeAt(i)) >>> 0;
  return PALETTE[hash % PALETTE.length]!;
}
