import { strFromU8, unzipSync } from 'fflate';

/**
 * The content hash a file says it shows, as Sopu writes it into its files' metadata (PDF: Keywords and XMP
 * `sha256:<hash>`; DOCX: the custom property SopuContentHash), or null. A claim only: anyone can write it into any
 * file. Verify trusts the file's own sha256 (recorded when Sopu handed the file out) and uses the claim to say what
 * an altered copy pretends to be.
 */
export function claimedContentHash(bytes: Uint8Array, type: 'pdf' | 'docx'): string | null {
  if (type === 'pdf') {
    const match = /sha256:([0-9a-f]{64})/.exec(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'));
    return match?.[1] ?? null;
  }
  try {
    const files = unzipSync(bytes, { filter: (file) => file.name === 'docProps/custom.xml' && file.originalSize < 1_000_000 });
    const xml = files['docProps/custom.xml'];
    if (!xml) return null;
    return /name="SopuContentHash"[^>]*>\s*<vt:lpwstr>([0-9a-f]{64})<\/vt:lpwstr>/.exec(strFromU8(xml))?.[1] ?? null;
  } catch {
    return null;
  }
}
