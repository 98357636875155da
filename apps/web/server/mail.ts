import type { SendMail } from '@sopu/core';
import nodemailer from 'nodemailer';

export interface SmtpSender {
  send: SendMail;
  close(): void;
}

/**
 * The SMTP transport that core's mail delivery is given (core decides which messages, when, and what is kept).
 * Bounded timeouts: a mail server that hangs turns into a failed attempt to retry later, not a stuck delivery loop.
 */
export function createSmtpSender(url: string, from: string, options: { timeoutMs?: number } = {}): SmtpSender {
  const timeout = options.timeoutMs ?? 30_000;
  const transport = nodemailer.createTransport({ url, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout }, { from });
  return {
    async send(mail) {
      await transport.sendMail({
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html ? { html: mail.html } : {}),
        ...(mail.headers ? { headers: mail.headers } : {}),
        ...(mail.attachments ? { attachments: mail.attachments.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })) } : {}),
      });
    },
    close: () => transport.close(),
  };
}
