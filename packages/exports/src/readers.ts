import { strFromU8, unzipSync } from 'fflate';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/*
 * Real readers of the files, for tests (decision 022): LibreOffice (Debian's libreoffice-writer-nogui) opens each
 * DOCX as Word would be asked to, poppler-utils reads each PDF. `npm test` installs both when missing
 * (scripts/test.mjs); a test run without them fails here with what to install, never skips.
 */

const run = promisify(execFile);

const TOOLS = { soffice: '/usr/bin/soffice', pdftotext: '/usr/bin/pdftotext', pdfinfo: '/usr/bin/pdfinfo', pdffonts: '/usr/bin/pdffonts', pdftoppm: '/usr/bin/pdftoppm' } as const;

export function requireReaders(): void {
  const missing = Object.entries(TOOLS).filter(([, path]) => !existsSync(path));
  if (missing.length > 0) {
    throw new Error(`missing ${missing.map(([name]) => name).join(', ')}: apt-get install libreoffice-writer-nogui poppler-utils (npm test installs them)`);
  }
}

async function withDir<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'sopu-readers-'));
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function pdfTool(tool: 'pdftotext' | 'pdfinfo' | 'pdffonts', bytes: Uint8Array, args: string[]): Promise<string> {
  requireReaders();
  return withDir(async (dir) => {
    const file = join(dir, 'file.pdf');
    await writeFile(file, bytes);
    const { stdout } = await run(TOOLS[tool], [...args, file, ...(tool === 'pdftotext' ? ['-'] : [])], { maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  });
}

/** The PDF's text in reading order (pdftotext, no layout). */
export const pdfText = (bytes: Uint8Array) => pdfTool('pdftotext', bytes, ['-enc', 'UTF-8']);
/** pdfinfo's answer: Title, Keywords, Tagged, Pages, custom Info keys (with -custom), or the XMP (with -meta). */
export const pdfInfo = (bytes: Uint8Array, option?: '-meta' | '-custom') => pdfTool('pdfinfo', bytes, option ? [option] : []);

export interface PdfFont {
  name: string;
  type: string;
  embedded: boolean;
}
/** Every font the PDF's pages use, with whether it is embedded (pdffonts). */
export async function pdfFonts(bytes: Uint8Array): Promise<PdfFont[]> {
  const out = await pdfTool('pdffonts', bytes, []);
  return out
    .split('\n')
    .slice(2)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const parts = line.trim().split(/\s+/);
      // name type… encoding emb sub uni object ID: emb is the fifth field from the end.
      return { name: parts[0]!, type: parts.slice(1, parts.length - 6).join(' '), embedded: parts[parts.length - 5] === 'yes' };
    });
}

/**
 * DOCX files opened and saved by LibreOffice headless as `format` (`txt:Text` or `pdf`), all in one run of it
 * (it takes seconds to start); each with its own profile, so that parallel test files do not share one.
 */
export async function convertDocx(files: readonly Uint8Array[], format: 'txt' | 'pdf'): Promise<Uint8Array[]> {
  requireReaders();
  return withDir(async (dir) => {
    const names = files.map((_, i) => join(dir, `file${i}.docx`));
    await Promise.all(files.map((bytes, i) => writeFile(names[i]!, bytes)));
    const out = join(dir, 'out');
    await run(TOOLS.soffice, [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--norestore', '--convert-to', format === 'txt' ? 'txt:Text (encoded):UTF8' : 'pdf', '--outdir', out, ...names], {
      timeout: 180_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    const made = new Set(await readdir(out));
    return Promise.all(
      files.map(async (_, i) => {
        const name = `file${i}.${format}`;
        if (!made.has(name)) throw new Error(`LibreOffice did not convert file ${i} to ${format}`);
        return new Uint8Array(await readFile(join(out, name)));
      }),
    );
  });
}

export async function docxText(files: readonly Uint8Array[]): Promise<string[]> {
  return (await convertDocx(files, 'txt')).map((bytes) => new TextDecoder().decode(bytes).replace(/^\uFEFF/, ''));
}

/** The PDF's pages as PNG files in `dir` (pdftoppm), to look at. Returns their paths. */
export async function pdfPages(bytes: Uint8Array, dir: string, prefix: string, resolution = 60): Promise<string[]> {
  requireReaders();
  const file = join(dir, `${prefix}.pdf`);
  await writeFile(file, bytes);
  await run(TOOLS.pdftoppm, ['-png', '-r', String(resolution), file, join(dir, prefix)]);
  return (await readdir(dir)).filter((n) => n.startsWith(`${prefix}-`) && n.endsWith('.png')).sort().map((n) => join(dir, n));
}

/** One part of a DOCX (a ZIP), e.g. `word/document.xml` or `docProps/custom.xml`, as text. */
export function docxPart(bytes: Uint8Array, name: string): string {
  const files = unzipSync(bytes, { filter: (file) => file.name === name });
  const part = files[name];
  if (!part) throw new Error(`the DOCX has no ${name}`);
  return strFromU8(part);
}
