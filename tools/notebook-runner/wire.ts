// The Jupyter wire protocol: how one message is framed and signed on a ZeroMQ socket.
// https://jupyter-client.readthedocs.io/en/stable/messaging.html#the-wire-protocol
import { createHmac, randomUUID } from 'node:crypto';

export interface MessageHeader {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

export interface JupyterMessage {
  header: MessageHeader;
  /** The header of the request this message answers; empty for requests. */
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  /** Its shape depends on header.msg_type; readers narrow it where they use it. */
  content: Record<string, unknown>;
}

const DELIMITER = '<IDS|MSG>';

export function newMessage(
  session: string,
  msgType: string,
  content: Record<string, unknown>,
): JupyterMessage {
  return {
    header: {
      msg_id: randomUUID(),
      session,
      username: 'statelab',
      date: new Date().toISOString(),
      msg_type: msgType,
      version: '5.3',
    },
    parent_header: {},
    metadata: {},
    content,
  };
}

/** Frames for a DEALER socket: the ROUTER on the kernel's side adds our identity itself. */
export function encode(key: string, message: JupyterMessage): string[] {
  const parts = [message.header, message.parent_header, message.metadata, message.content].map(
    (part) => JSON.stringify(part),
  );
  return [DELIMITER, sign(key, parts), ...parts];
}

/** Reads one message, refusing it when the signature does not match the key. */
export function decode(key: string, frames: Buffer[]): JupyterMessage {
  const at = frames.findIndex((frame) => frame.toString() === DELIMITER);
  if (at < 0) throw new Error('Jupyter message without the <IDS|MSG> delimiter');
  const signature = frames[at + 1]?.toString();
  const parts = frames.slice(at + 2, at + 6).map((frame) => frame.toString());
  if (parts.length < 4) throw new Error('Jupyter message with fewer than four parts');
  if (signature !== sign(key, parts)) throw new Error('Jupyter message with a bad signature');
  const [header, parentHeader, metadata, content] = parts.map((part) => JSON.parse(part));
  return { header, parent_header: parentHeader, metadata, content };
}

function sign(key: string, parts: string[]): string {
  const hmac = createHmac('sha256', key);
  for (const part of parts) hmac.update(part);
  return hmac.digest('hex');
}
