import type { Role } from './roles.ts';

// Mail goes to people whose language we do not know yet, so it is written in Finnish and Swedish, as municipal
// letters in bilingual areas are.
const ROLE_NAMES: Record<Role, { fi: string; sv: string }> = {
  host_admin: { fi: 'pääkäyttäjä (isäntäkunta)', sv: 'huvudanvändare (värdkommun)' },
  drafter: { fi: 'valmistelija', sv: 'beredare' },
  member_rep: { fi: 'jäsenkunnan edustaja', sv: 'medlemskommunens representant' },
  council_secretary: { fi: 'valtuuston sihteeri', sv: 'fullmäktiges sekreterare' },
  viewer: { fi: 'lukija', sv: 'läsare' },
};

const helsinki = (ms: number, locale: string) =>
  new Intl.DateTimeFormat(locale, { timeZone: 'Europe/Helsinki', dateStyle: 'long', timeStyle: 'short' }).format(new Date(ms));

export function invitationMail(input: {
  areaName: { fi: string; sv: string };
  inviterName: string;
  municipalityName: { fi: string; sv: string };
  role: Role;
  link: string;
  expiresAt: number;
}): { subject: string; body: string } {
  const role = ROLE_NAMES[input.role];
  return {
    subject: `Kutsu Sopuun: ${input.areaName.fi} / Inbjudan till Sopu: ${input.areaName.sv}`,
    body: [
      `${input.inviterName} kutsuu sinut valmistelemaan työllisyysalueen yhteistoimintasopimusta Sopussa.`,
      `Työllisyysalue: ${input.areaName.fi}. Kunta: ${input.municipalityName.fi}. Rooli: ${role.fi}.`,
      `Hyväksy kutsu ${helsinki(input.expiresAt, 'fi-FI')} mennessä (Suomen aikaa):`,
      input.link,
      '',
      `${input.inviterName} bjuder in dig att bereda sysselsättningsområdets samarbetsavtal i Sopu.`,
      `Sysselsättningsområde: ${input.areaName.sv}. Kommun: ${input.municipalityName.sv}. Roll: ${role.sv}.`,
      `Godkänn inbjudan senast ${helsinki(input.expiresAt, 'sv-FI')} (finsk tid):`,
      input.link,
      '',
      'Linkki toimii vain kerran. / Länken kan bara användas en gång.',
    ].join('\n'),
  };
}
