import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { canonicalJson, sha256Hex } from '../audit/canonical';
import { normaliseIdentifier } from '../acquisitions/identifiers';

/**
 * Personal-data protection (R6, R11, R20): AES-256-GCM for the document number, an HMAC blind
 * index to find a document without decrypting, and salted commitments for the hash chain. Keys
 * are derived from DOR_DATA_KEY with HKDF, one per purpose.
 */
export class SellerCrypto {
  private readonly encryptionKey: Buffer;
  private readonly indexKey: Buffer;

  constructor(dataKey: Buffer) {
    this.encryptionKey = Buffer.from(
      hkdfSync('sha256', dataKey, Buffer.alloc(0), 'dor/seller-document/aes-256-gcm', 32),
    );
    this.indexKey = Buffer.from(
      hkdfSync('sha256', dataKey, Buffer.alloc(0), 'dor/seller-document/blind-index', 32),
    );
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
  }

  /** Throws when the ciphertext was altered or the key is wrong (GCM authentication). */
  decrypt(encoded: string): string {
    const raw = Buffer.from(encoded, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }

  /** The same document (type, issuing country, number — normalised) gives the same index at every dealer. */
  documentIndex(type: string, issuingCountry: string, number: string): string {
    return createHmac('sha256', this.indexKey)
      .update(`${type}|${issuingCountry.toUpperCase()}|${normaliseIdentifier(number)}`)
      .digest('hex');
  }

  /**
   * The document number alone (normalised), for a police search or watchlist that knows the number
   * but not the document's type or issuing country (R15, search). A different input domain than
   * `documentIndex`, so the two never coincide.
   */
  numberIndex(number: string): string {
    return createHmac('sha256', this.indexKey)
      .update(`number|${normaliseIdentifier(number)}`)
      .digest('hex');
  }
}

export function newSalt(): string {
  return randomBytes(16).toString('hex');
}

/** SHA-256(salt ‖ canonical personal data): binds the chain to the data without containing it. */
export function commitmentOf(salt: string, personalData: object): string {
  return sha256Hex(salt, canonicalJson(personalData));
}

/** The last 4 characters of a document number: all a dealer ever sees again (R20). */
export function last4(number: string): string {
  return normaliseIdentifier(number).slice(-4);
}
