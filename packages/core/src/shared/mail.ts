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

/** The mail that lets an account's owner lift its login lock (session/login-unlock.ts), in Finnish and Swedish. */
export function unlockMail(input: { email: string; link: string; expiresAt: number; cause?: 'password' | 'second_factor' }): { subject: string; body: string } {
  if (input.cause === 'second_factor') return secondFactorUnlockMail(input);
  return {
    subject: 'Sopu: kirjautuminen tunnuksellesi on lukittu / inloggningen till ditt konto är låst',
    body: [
      `Tunnuksellasi ${input.email} on yritetty kirjautua Sopuun väärällä salasanalla liian monta kertaa. Kirjautuminen on siksi lukittu hetkeksi muilta kuin aiemmin käyttämiltäsi selaimilta.`,
      `Tällä linkillä avaat lukituksen siinä selaimessa, jossa avaat linkin (${helsinki(input.expiresAt, 'fi-FI')} asti, Suomen aikaa):`,
      input.link,
      'Jos et itse yrittänyt kirjautua, joku muu yrittää arvata salasanaasi. Sinun ei tarvitse tehdä mitään; avaa linkki vain omassa selaimessasi.',
      '',
      `Någon har försökt logga in i Sopu med ditt konto ${input.email} och fel lösenord för många gånger. Inloggningen är därför låst en stund för andra webbläsare än dem du har använt tidigare.`,
      `Med den här länken låser du upp inloggningen i den webbläsare där du öppnar länken (till ${helsinki(input.expiresAt, 'sv-FI')}, finsk tid):`,
      input.link,
      'Om det inte var du som försökte logga in, försöker någon annan gissa ditt lösenord. Du behöver inte göra något; öppna länken bara i din egen webbläsare.',
      '',
      'Linkki toimii vain kerran. / Länken kan bara användas en gång.',
    ].join('\n'),
  };
}

/**
 * The unlock link after wrong second-factor codes (docs/decisions/024): whoever typed them had the right password, so
 * the mail says so and what to do about it.
 */
function secondFactorUnlockMail(input: { email: string; link: string; expiresAt: number }): { subject: string; body: string } {
  return {
    subject: 'Sopu: kirjautuminen tunnuksellesi on lukittu / inloggningen till ditt konto är låst',
    body: [
      `Tunnuksellesi ${input.email} on kirjauduttu Sopuun oikealla salasanalla, mutta todennussovelluksen koodi on ollut väärin liian monta kertaa. Kirjautuminen on siksi lukittu hetkeksi muilta kuin aiemmin käyttämiltäsi selaimilta.`,
      `Tällä linkillä avaat lukituksen siinä selaimessa, jossa avaat linkin (${helsinki(input.expiresAt, 'fi-FI')} asti, Suomen aikaa):`,
      input.link,
      'Jos et itse yrittänyt kirjautua, joku muu tietää salasanasi. Vahvistuskoodi on estänyt häntä pääsemästä sisään; ilmoita asiasta työllisyysalueesi pääkäyttäjälle.',
      '',
      `Någon har loggat in i Sopu med ditt konto ${input.email} och rätt lösenord, men med fel kod från autentiseringsappen för många gånger. Inloggningen är därför låst en stund för andra webbläsare än dem du har använt tidigare.`,
      `Med den här länken låser du upp inloggningen i den webbläsare där du öppnar länken (till ${helsinki(input.expiresAt, 'sv-FI')}, finsk tid):`,
      input.link,
      'Om det inte var du som försökte logga in, känner någon annan till ditt lösenord. Verifieringskoden har hindrat hen från att komma in; meddela sysselsättningsområdets huvudanvändare.',
      '',
      'Linkki toimii vain kerran. / Länken kan bara användas en gång.',
    ].join('\n'),
  };
}
