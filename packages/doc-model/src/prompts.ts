import type { SectionTemplate } from './templates.ts';

export type PromptLanguage = 'fi' | 'sv' | 'en';

/**
 * Finnish and Swedish versions of the template's guiding questions (the template file has them in English only).
 * Same order and count as the English ones; a section missing here falls back to English.
 */
const TRANSLATED: Record<string, { fi: string[]; sv: string[] }> = {
  parties: {
    fi: ['Mitkä kunnat ovat sopimuksen osapuolia, ja mikä niistä on vastuukunta?', 'Mikä kunta toimii työvoimaviranomaisena?'],
    sv: ['Vilka kommuner är parter i avtalet, och vilken av dem är ansvarskommun?', 'Vilken kommun är arbetskraftsmyndighet?'],
  },
  purpose: {
    fi: ['Mitkä lakisääteiset tehtävät järjestetään yhdessä ja mistä päivästä alkaen?'],
    sv: ['Vilka lagstadgade uppgifter ordnas gemensamt, och från vilket datum?'],
  },
  governance: {
    fi: [
      'Yhteiseen toimielimeen sovelletaan vastuukunnan hallintosääntöä: kokousmenettely, asioiden esittely, kokouspalkkiot.',
      'Miten ja milloin jäsenkuntia kuullaan ennen kuin vastuukunta muuttaa hallintosääntöään? (Esimerkiksi: sääntö hyväksytään vasta, kun jäsenkuntia on kuultu.)',
    ],
    sv: [
      'På det gemensamma organet tillämpas ansvarskommunens förvaltningsstadga: sammanträdesförfarande, föredragning av ärenden, sammanträdesarvoden.',
      'Hur och när hörs medlemskommunerna innan ansvarskommunen ändrar förvaltningsstadgan? (Till exempel: stadgan antas först efter att medlemmarna har hörts.)',
    ],
  },
  body_composition: {
    fi: [
      'Onko jokaisella kunnalla oma jäsen toimielimessä? (Laki ei ole vaatinut sitä vuoden 2017 jälkeen.)',
      'Miten äänivalta jakautuu? Tavallisesti kullakin jäsenellä on yksi ääni; toisinkin voidaan sopia.',
      'Mikään kunta ei saa yksin määrätä päätöksistä: onko jollakin kunnalla ehdoton enemmistö?',
      'Mistä kunnista puheenjohtaja ja varapuheenjohtaja valitaan; vuorotteleeko puheenjohtajuus?',
    ],
    sv: [
      'Har varje kommun en egen ledamot? (Sedan 2017 kräver lagen det inte längre.)',
      'Hur fördelas rösträtten? Vanligen har varje ledamot en röst; en annan fördelning kan avtalas.',
      'Ingen enskild kommun bör kunna besluta ensam: har någon kommun absolut majoritet?',
      'Från vilka kommuner kommer ordföranden och vice ordföranden; roterar ordförandeskapet?',
    ],
  },
  right_of_takeover: {
    fi: ['Säilyykö vastuukunnan kunnanhallituksella otto-oikeus yhteisen toimielimen päätöksiin, vai luovutaanko siitä?'],
    sv: ['Behåller ansvarskommunens kommunstyrelse sin upptagningsrätt i fråga om det gemensamma organets beslut, eller avstår den från rätten?'],
  },
  personnel: {
    fi: [
      'Kenen palvelukseen valtiolta (TE-toimistoista, ELY-keskuksista, KEHA-keskuksesta) siirtyvä henkilöstö siirtyy?',
      'Mitä tapahtuu kuntien nykyiselle työllisyyspalvelujen henkilöstölle?',
      'Millä perusteella asiakaspalveluhenkilöstö jaetaan kuntien kesken (esimerkiksi työnhakija-asiakkaiden määrän mukaan)?',
    ],
    sv: [
      'I vems tjänst övergår den personal som flyttar från staten (arbets- och näringsbyråerna, NTM-centralerna, UF-centret)?',
      'Vad händer med kommunernas nuvarande personal inom sysselsättningstjänsterna?',
      'På vilka grunder fördelas kundbetjäningspersonalen mellan kommunerna (till exempel enligt antalet arbetssökande kunder)?',
    ],
  },
  finance_administration: {
    fi: ['Miten kustannukset jaetaan ja millä perusteella?', 'Miten työvoimapalvelujen valtionrahoitus kohdennetaan alueen palveluihin?'],
    sv: ['Hur fördelas kostnaderna, och på vilka grunder?', 'Hur riktas den statliga finansieringen av arbetskraftsservicen till områdets tjänster?'],
  },
  client_fees: {
    fi: ['Peritäänkö asiakkailta maksuja, kuka ne perii ja kenelle ne tulevat?'],
    sv: ['Tas avgifter ut av kunderna, vem tar ut dem och vem får intäkterna?'],
  },
  internal_control: {
    fi: ['Kuka laatii riskienhallintasuunnitelman ja kenen kanssa?'],
    sv: ['Vem utarbetar riskhanteringsplanen, och tillsammans med vem?'],
  },
  equipment: { fi: ['Kuka omistaa kaluston ja varusteet ja maksaa ne?'], sv: ['Vem äger och betalar inventarier och utrustning?'] },
  premises: { fi: ['Vastaako kukin kunta omista toimitiloistaan ja vuokristaan?'], sv: ['Svarar varje kommun för sina egna lokaler och hyror?'] },
  information_security: { fi: ['Kuka vastaa tietoturvasta ja miten sitä valvotaan?'], sv: ['Vem ansvarar för informationssäkerheten och hur övervakas den?'] },
  client_data: {
    fi: ['Kuka on asiakastietojen rekisterinpitäjä, ja kuka saa käsitellä tietoja?'],
    sv: ['Vem är personuppgiftsansvarig för kunduppgifterna; vem får behandla dem?'],
  },
  records_management: {
    fi: ['Arkistointi, kirjaamo ja asiakirjat: keskitetäänkö ne vastuukuntaan vai hoitaako kukin kunta omansa?'],
    sv: ['Arkivering, registratur och handlingar: centraliseras de till ansvarskommunen eller sköter varje kommun sina egna?'],
  },
  other_agreements: {
    fi: ['Sopimukset viranomaistehtävien hoitamisesta (kuntalaki 54 §) ja muut asiaan liittyvät sopimukset.'],
    sv: ['Avtal om skötsel av myndighetsuppgifter (kommunallagen 54 §) och andra anknutna avtal.'],
  },
  development: { fi: ['Miten yhteistoimintaa seurataan ja kehitetään?'], sv: ['Hur följs samarbetet upp och hur utvecklas det?'] },
  amendment: { fi: ['Miten sopimusta muutetaan, ja kenen on hyväksyttävä muutos?'], sv: ['Hur ändras avtalet, och vem måste godkänna en ändring?'] },
  liability: { fi: ['Miten vahingonkorvausvastuu jaetaan?'], sv: ['Hur fördelas skadeståndsansvaret?'] },
  disputes: { fi: ['Ensin neuvottelut; sitten mikä tuomioistuin tai menettely?'], sv: ['Först förhandlingar; därefter vilken domstol eller vilket förfarande?'] },
  validity_termination: {
    fi: ['Milloin sopimus tulee voimaan (kun jokaisen jäsenkunnan valtuusto on hyväksynyt sen)?', 'Irtisanomisaika ja irtisanomisen seuraukset.'],
    sv: ['När träder avtalet i kraft (när varje medlemskommuns fullmäktige har godkänt det)?', 'Uppsägningstid och följderna av uppsägning.'],
  },
  scope: {
    fi: ['Mitkä vastuukunnan hallintosäännön määräykset koskevat yhteistä toimielintä?', 'Mihin yhteinen toimielin sijoittuu vastuukunnan organisaatiossa, ja kenelle se raportoi?'],
    sv: ['Vilka bestämmelser i ansvarskommunens förvaltningsstadga gäller det gemensamma organet?', 'Var är det gemensamma organet placerat i ansvarskommunens organisation, och till vem rapporterar det?'],
  },
  meeting_procedure: {
    fi: ['Kuka kutsuu kokouksen koolle, ja miten ja milloin kutsu lähetetään?', 'Voivatko jäsenet osallistua kokouksiin sähköisesti, ja miten päätösvaltaisuus määräytyy?', 'Miten pöytäkirja laaditaan, tarkastetaan ja julkaistaan?'],
    sv: ['Vem sammankallar sammanträdena, och hur och när skickas kallelsen?', 'Får ledamöterna delta i sammanträden elektroniskt, och hur bestäms beslutförheten?', 'Hur upprättas, justeras och publiceras protokollet?'],
  },
  presentation_and_decisions: {
    fi: ['Kuka esittelee asiat yhteiselle toimielimelle, ja kuka toimii sen sihteerinä?', 'Miten äänet lasketaan, ja käyttävätkö jäsenet kuntiensa äänivaltaa?', 'Mitä päätösvaltaa siirretään viranhaltijoille, ja miten päätöksistä ilmoitetaan toimielimelle?'],
    sv: ['Vem föredrar ärendena för det gemensamma organet, och vem är dess sekreterare?', 'Hur räknas rösterna, och för ledamöterna sina kommuners röster?', 'Vilken beslutanderätt delegeras till tjänsteinnehavare, och hur anmäls besluten till organet?'],
  },
  meeting_fees: {
    fi: ['Kenen palkkiosääntöä jäseniin sovelletaan: vastuukunnan vai kunkin jäsenkunnan omaa?', 'Mikä kunta maksaa palkkiot ja ansionmenetyksen korvaukset, ja jaetaanko ne yhteisinä kustannuksina?'],
    sv: ['Vems arvodesstadga tillämpas på ledamöterna: ansvarskommunens eller varje medlemskommuns egen?', 'Vilken kommun betalar arvoden och ersättning för inkomstbortfall, och fördelas de som gemensamma kostnader?'],
  },
};

/** A section's guiding questions in the reader's language, falling back to English where no translation exists. */
export function promptsFor(section: Pick<SectionTemplate, 'key' | 'prompts'>, language: PromptLanguage): string[] {
  if (language === 'en') return [...section.prompts];
  const translated = TRANSLATED[section.key]?.[language];
  return translated && translated.length === section.prompts.length ? [...translated] : [...section.prompts];
}

const LEGAL: Record<string, { fi: string; sv: string }> = {
  'Local Government Act (kuntalaki) 51-52 §': { fi: 'Kuntalaki 51–52 §', sv: 'Kommunallagen 51–52 §' },
  'Local Government Act (kuntalaki) 51 § and 90 §': { fi: 'Kuntalaki 51 § ja 90 §', sv: 'Kommunallagen 51 § och 90 §' },
};

/** The provision a section rests on, in the reader's language where a translation exists. */
export function legalFor(section: Pick<SectionTemplate, 'legal'>, language: PromptLanguage): string | undefined {
  if (!section.legal || language === 'en') return section.legal;
  return LEGAL[section.legal]?.[language] ?? section.legal;
}

/** For tests: the sections that have translations. */
export const TRANSLATED_PROMPT_KEYS = Object.keys(TRANSLATED);
