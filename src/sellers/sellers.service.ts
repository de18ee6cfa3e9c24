import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, IsNull, Not, Repository } from 'typeorm';
import { normalisePostalCode } from '../common/validators';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { Db } from '../database/db.service';
import type { SellerDto } from '../acquisitions/dto/acquisition.dto';
import { notPendingSeller } from '../acquisitions/pending-imports';
import { commitmentOf, last4, newSalt, SellerCrypto } from './seller-crypto';
import { Seller } from './seller.entity';

/** What the dealer (and later the inspector) sees of a seller; the document number only as last 4. */
export interface SellerView {
  id: string;
  lastName: string | null;
  firstNames: string | null;
  dateOfBirth: string | null;
  address: {
    street: string | null;
    houseNumber: string | null;
    postalCode: string | null;
    city: string | null;
    country: string | null;
  };
  idDocument: { type: string | null; numberLast4: string | null; issuingCountry: string | null };
  erased: boolean;
}

/** What police and BOA see of a seller (R20): everything, the document number in full. */
export type InspectorSellerView = SellerView & {
  idDocument: SellerView['idDocument'] & { number: string | null };
};

/** The personal data a commitment binds (R11): everything identifying, including the full document number. */
function personalData(s: Seller, documentNumber: string | null) {
  return {
    lastName: s.lastName,
    firstNames: s.firstNames,
    dateOfBirth: s.dateOfBirth,
    street: s.street,
    houseNumber: s.houseNumber,
    postalCode: s.postalCode,
    city: s.city,
    country: s.country,
    idType: s.idType,
    idIssuingCountry: s.idIssuingCountry,
    idNumber: documentNumber,
  };
}

@Injectable()
export class SellersService implements OnApplicationBootstrap {
  readonly crypto: SellerCrypto;

  constructor(
    @InjectRepository(Seller) private readonly sellers: Repository<Seller>,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly db: Db,
  ) {
    this.crypto = new SellerCrypto(config.dataKey);
  }

  /**
   * Sellers identified before `numberIndex` existed get it at start (decrypting their document
   * number), so that a police search or watchlist by document number finds them too (R15).
   */
  async onApplicationBootstrap(): Promise<void> {
    for (;;) {
      const rows = await this.sellers.find({
        select: { id: true, idNumberCipher: true },
        where: { numberIndex: IsNull(), idNumberCipher: Not(IsNull()) },
        take: 500,
      });
      if (!rows.length) return;
      await this.db.transaction(async (m) => {
        for (const s of rows) {
          let index: string;
          try {
            index = this.crypto.numberIndex(this.crypto.decrypt(s.idNumberCipher!));
          } catch {
            index = 'undecryptable'; // an altered row: the chain verification names it; never retried
          }
          await m.getRepository(Seller).update({ id: s.id }, { numberIndex: index });
        }
      });
      new Logger('Sellers').log(`numberIndex filled for ${rows.length} sellers`);
    }
  }

  /** A new identification of a seller by a dealer, encrypted and committed; inserted in `m`. */
  async create(m: EntityManager, dealerId: string, dto: SellerDto): Promise<Seller> {
    const s = this.build(dealerId, dto);
    await this.db.insert(m, Seller, s);
    return s;
  }

  /** A new seller row, encrypted and committed, not yet written (batches write many at once). */
  build(dealerId: string, dto: SellerDto): Seller {
    const number = dto.idDocument.number.trim();
    const s = Object.assign(new Seller(), {
      dealerId,
      lastName: dto.lastName,
      firstNames: dto.firstNames,
      dateOfBirth: dto.dateOfBirth,
      street: dto.address.street,
      houseNumber: dto.address.houseNumber,
      postalCode:
        dto.address.country === 'NL'
          ? normalisePostalCode(dto.address.postalCode)
          : dto.address.postalCode,
      city: dto.address.city,
      country: dto.address.country,
      idType: dto.idDocument.type,
      idIssuingCountry: dto.idDocument.issuingCountry,
      idNumberCipher: this.crypto.encrypt(number),
      idNumberLast4: last4(number),
      documentIndex: this.crypto.documentIndex(
        dto.idDocument.type,
        dto.idDocument.issuingCountry,
        number,
      ),
      numberIndex: this.crypto.numberIndex(number),
      salt: newSalt(),
      createdAt: new Date(),
      erasedAt: null,
    });
    s.commitment = commitmentOf(s.salt, personalData(s, number));
    return s;
  }

  /** A seller of this dealer (returning seller), or null: another dealer's seller does not exist for it. */
  findOwn(dealerId: string, sellerId: string, m?: EntityManager): Promise<Seller | null> {
    return (m ? m.getRepository(Seller) : this.sellers).findOneBy({
      id: sellerId,
      dealerId,
      erasedAt: IsNull(),
    });
  }

  findByIds(ids: string[]): Promise<Seller[]> {
    return ids.length ? this.sellers.findBy({ id: In([...new Set(ids)]) }) : Promise.resolve([]);
  }

  /** The commitment the row's data give now (the stored one once erased): a changed row shows. */
  currentCommitment(s: Seller): string {
    if (s.erasedAt) {
      // Erased (R18): nothing personal may remain; then the stored commitment stands.
      const left = [
        s.lastName,
        s.firstNames,
        s.dateOfBirth,
        s.street,
        s.houseNumber,
        s.postalCode,
        s.city,
        s.idNumberCipher,
        s.salt,
      ];
      return left.every((v) => v === null)
        ? s.commitment
        : 'tampered: erased seller still holds personal data';
    }
    if (!s.salt || !s.idNumberCipher) return 'tampered: salt or document missing';
    let number: string;
    try {
      number = this.crypto.decrypt(s.idNumberCipher);
    } catch {
      return 'undecryptable';
    }
    return commitmentOf(s.salt, personalData(s, number));
  }

  /** R20: police and BOA see the document number decrypted (each view is in the access log, R19). */
  inspectorView(s: Seller): InspectorSellerView {
    const view = toSellerView(s);
    let number: string | null = null;
    if (s.idNumberCipher) {
      try {
        number = this.crypto.decrypt(s.idNumberCipher);
      } catch {
        number = null; // altered ciphertext: shown as unknown; the chain verification names the row
      }
    }
    return { ...view, idDocument: { ...view.idDocument, number } };
  }

  /**
   * The dealer's returning sellers: the latest identification per document, newest first,
   * optionally filtered on name.
   */
  async returningSellers(dealerId: string, q?: string, limit = 20): Promise<SellerView[]> {
    const qb = this.sellers
      .createQueryBuilder('s')
      .where('s.dealerId = :dealerId', { dealerId })
      .andWhere('s.erasedAt IS NULL')
      .andWhere(notPendingSeller('s.id'))
      .orderBy('s.createdAt', 'DESC')
      .take(500);
    if (q?.trim())
      qb.andWhere('LOWER(s.lastName) LIKE :q', {
        q: `%${q
          .trim()
          .toLowerCase()
          .replace(/[\\%_]/g, '')}%`,
      });
    const seen = new Set<string>();
    const out: SellerView[] = [];
    for (const s of await qb.getMany()) {
      if (seen.has(s.documentIndex ?? s.id)) continue;
      seen.add(s.documentIndex ?? s.id);
      out.push(toSellerView(s));
      if (out.length >= limit) break;
    }
    return out;
  }
}

export function toSellerView(s: Seller): SellerView {
  return {
    id: s.id,
    lastName: s.lastName,
    firstNames: s.firstNames,
    dateOfBirth: s.dateOfBirth,
    address: {
      street: s.street,
      houseNumber: s.houseNumber,
      postalCode: s.postalCode,
      city: s.city,
      country: s.country,
    },
    idDocument: {
      type: s.idType,
      numberLast4: s.idNumberLast4,
      issuingCountry: s.idIssuingCountry,
    },
    erased: s.erasedAt !== null,
  };
}
