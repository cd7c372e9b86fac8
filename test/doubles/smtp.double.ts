export {
  type SmtpCounterpart as SmtpDouble,
  startSmtpCounterpart as startSmtpDouble,
} from '../../connectors/email-smtp/smtp.counterpart.ts';
