import {
  createHash,
  createPublicKey,
  createSign,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { type CBORType, encodeCBOR } from '@levischuck/tiny-cbor';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';

/**
 * A WebAuthn authenticator in software, for API tests without a browser: a
 * P-256 key per credential, authenticatorData and clientDataJSON built as a
 * platform authenticator builds them, attestation "none" in CBOR. Each
 * ceremony may be bent (another origin, another challenge, no user
 * verification) to show what the server refuses.
 */

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();
const b64url = (data: Uint8Array) => Buffer.from(data).toString('base64url');

export interface Credential {
  id: Buffer;
  key: KeyObject;
  userHandle: string;
  counter: number;
}

export interface Bend {
  /** clientDataJSON's origin (default: the authenticator's). */
  origin?: string;
  /** The challenge signed (default: the options'). */
  challenge?: string;
  /** The RP ID hashed into authenticatorData (default: the options'). */
  rpId?: string;
  /** False: the user was present but not verified (no PIN, no biometrics). */
  userVerified?: boolean;
  /** Authentication: the counter to report (default: one more than the last). */
  counter?: number;
}

export class SoftwareAuthenticator {
  readonly credentials: Credential[] = [];

  constructor(readonly origin: string) {}

  /** navigator.credentials.create(), answered as PublicKeyCredential.toJSON() does. */
  register(
    options: PublicKeyCredentialCreationOptionsJSON,
    bend: Bend = {},
    /** Answer with a credential this authenticator already holds (one that ignores excludeCredentials). */
    reuse?: Credential,
  ): RegistrationResponseJSON {
    const credential: Credential = reuse ?? {
      id: randomBytes(16),
      key: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
      userHandle: options.user.id,
      counter: 0,
    };
    const jwk = createPublicKey(credential.key).export({ format: 'jwk' });
    const cose = encodeCBOR(
      new Map<number, Uint8Array | number>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x as string, 'base64url')],
        [-3, Buffer.from(jwk.y as string, 'base64url')],
      ]),
    );
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credential.id.length);
    const authData = Buffer.concat([
      this.#authDataHead(bend.rpId ?? options.rp.id ?? '', FLAG_AT, bend, 0),
      Buffer.alloc(16), // AAGUID: none
      idLength,
      credential.id,
      Buffer.from(cose),
    ]);
    const clientDataJSON = this.#clientData('webauthn.create', bend.challenge ?? options.challenge, bend);
    const attestationObject = encodeCBOR(
      new Map<string, CBORType>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, CBORType>()],
        ['authData', authData],
      ]),
    );
    if (!reuse) this.credentials.push(credential);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
    };
  }

  /** navigator.credentials.get() with a discoverable credential (the last registered, or `credential`). */
  authenticate(
    options: PublicKeyCredentialRequestOptionsJSON,
    bend: Bend = {},
    credential = this.credentials.at(-1),
  ): AuthenticationResponseJSON {
    if (!credential) throw new Error('no credential registered on this authenticator');
    credential.counter = bend.counter ?? credential.counter + 1;
    const authData = this.#authDataHead(bend.rpId ?? options.rpId ?? '', 0, bend, credential.counter);
    const clientDataJSON = this.#clientData('webauthn.get', bend.challenge ?? options.challenge, bend);
    const signature = createSign('sha256')
      .update(Buffer.concat([authData, sha256(clientDataJSON)]))
      .sign(credential.key); // DER, as WebAuthn's ES256 wants it
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: credential.userHandle,
      },
    };
  }

  #authDataHead(rpId: string, extraFlags: number, bend: Bend, counter: number): Buffer {
    const flags = FLAG_UP | (bend.userVerified === false ? 0 : FLAG_UV) | FLAG_BE | FLAG_BS | extraFlags;
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), count]);
  }

  #clientData(type: string, challenge: string, bend: Bend): Buffer {
    return Buffer.from(
      JSON.stringify({ type, challenge, origin: bend.origin ?? this.origin, crossOrigin: false }),
    );
  }
}
