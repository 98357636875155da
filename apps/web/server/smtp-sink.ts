import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The message as sent (headers and body), with quoted-printable soft line breaks and escapes decoded. */
  text: string;
  /** The message exactly as received, for a MIME parser. */
  raw: Buffer;
}

export interface SmtpSink {
  url: string;
  received: ReceivedMail[];
  /** While set, every recipient is refused with this SMTP reply (e.g. 550 mailbox unavailable). */
  refuse(reply: { code: number; message: string } | null): void;
  /** Refuses the next `times` recipients with this reply, then accepts again. */
  refuseTimes(times: number, reply: { code: number; message: string }): void;
  /** How many recipients were refused so far. */
  refusals(): number;
  close(): Promise<void>;
}

const decodeQuotedPrintable = (raw: string) =>
  raw.replace(/=\r?\n/g, '').replace(/(=[0-9A-F]{2})+/g, (run) => Buffer.from(run.replaceAll('=', ''), 'hex').toString('utf8'));

/** A real SMTP server on a free loopback port that keeps what it receives: a mail server for tests. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  let refusal: { code: number; message: string } | null = null;
  let refuseLeft = 0;
  let refused = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (!refusal) return callback();
      refused++;
      const reply = refusal;
      if (refuseLeft > 0 && --refuseLeft === 0) refusal = null;
      callback(Object.assign(new Error(reply.message), { responseCode: reply.code }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          text: decodeQuotedPrintable(raw.toString('utf8')),
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuse: (reply) => {
      refusal = reply;
      refuseLeft = 0;
    },
    refuseTimes: (times, reply) => {
      refusal = times > 0 ? reply : null;
      refuseLeft = times;
    },
    refusals: () => refused,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
