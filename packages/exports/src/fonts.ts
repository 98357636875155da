import { create, type Font } from 'fontkit';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/*
 * The PDF's fonts: DejaVu Sans and DejaVu Sans Mono (the `dejavu-fonts-ttf` package, Bitstream Vera licence with
 * DejaVu's changes in the public domain; its LICENSE travels with the package), embedded as subsets in every PDF.
 * They cover å, ä, ö, §, the Sámi letters and the dashes and quotes of Finnish and Swedish text. Read from the
 * package, never from the system, so a PDF looks the same on every machine (PDF/A needs every font embedded).
 */

const require = createRequire(import.meta.url);

export const FONT_FILES = {
  regular: 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
  bold: 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf',
  italic: 'dejavu-fonts-ttf/ttf/DejaVuSans-Oblique.ttf',
  boldItalic: 'dejavu-fonts-ttf/ttf/DejaVuSans-BoldOblique.ttf',
  mono: 'dejavu-fonts-ttf/ttf/DejaVuSansMono.ttf',
} as const;

export type FontFace = keyof typeof FONT_FILES;

let loaded: Record<FontFace, Font> | undefined;

/**
 * The fonts, parsed once per process (or worker) on first use and shared by every document drawn there: parsing
 * DejaVu's kerning and substitution tables is most of the cost of a PDF otherwise (about a second for the demo
 * agreement, decision 022). Each document still embeds its own subset.
 */
export function fonts(): Record<FontFace, Font> {
  loaded ??= Object.fromEntries(
    Object.entries(FONT_FILES).map(([face, file]) => {
      const font = create(readFileSync(require.resolve(file)));
      if (!('layout' in font)) throw new Error(`${file} is a font collection, not a font`);
      return [face, font];
    }),
  ) as Record<FontFace, Font>;
  return loaded;
}
