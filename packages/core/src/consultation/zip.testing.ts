import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A zip archive written by hand, for the attachment tests: real DOCX and ODT shapes (what file-type reads) and zip
 * bombs whose headers tell the truth or lie. `declaredSize` overrides an entry's uncompressed size in both headers.
 */
export function zipOf(entries: Array<{ name: string; data: Uint8Array | string; store?: boolean; declaredSize?: number }>): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : Buffer.from(e.data);
    const packed = e.store ? data : deflateRawSync(data);
    const name = Buffer.from(e.name, 'utf8');
    const crc = crc32(data);
    const size = e.declaredSize ?? data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.store ? 0 : 8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(e.store ? 0 : 8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += 30 + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';

/** A minimal Word document (file-type reads it as DOCX); `extra` adds entries (a bomb inside a DOCX). */
export const docxOf = (text: string, extra: Parameters<typeof zipOf>[0] = []) =>
  zipOf([
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    { name: 'word/document.xml', data: `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>` },
    ...extra,
  ]);

/** A minimal OpenDocument text (the stored `mimetype` first, as ODF requires). */
export const odtOf = (text: string) =>
  zipOf([
    { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text', store: true },
    { name: 'content.xml', data: `<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"><office:body><office:text>${text}</office:text></office:body></office:document-content>` },
  ]);

/** The smallest file file-type reads as a PDF, padded to `size` bytes. */
export function pdfOf(size = 0): Uint8Array {
  const head = new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n');
  const tail = new TextEncoder().encode('trailer\n<<>>\n%%EOF\n');
  const out = new Uint8Array(Math.max(size, head.length + tail.length)).fill(0x20);
  out.set(head, 0);
  out.set(tail, out.length - tail.length);
  return out;
}

/** A Windows program (MZ … PE header), which file-type reads as an exe, whatever it is named. */
export function exeOf(): Uint8Array {
  const bytes = new Uint8Array(1024);
  bytes.set([0x4d, 0x5a], 0);
  new DataView(bytes.buffer).setUint32(0x3c, 0x80, true);
  bytes.set([0x50, 0x45, 0, 0], 0x80);
  return bytes;
}
