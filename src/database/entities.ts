import { AcquisitionVersion } from '../acquisitions/acquisition-version.entity';
import { Acquisition } from '../acquisitions/acquisition.entity';
import { Item } from '../acquisitions/item.entity';
import { ChainCheckpoint } from '../audit/chain-checkpoint.entity';
import { ChainEvent } from '../audit/chain-event.entity';
import { Disposal } from '../disposals/disposal.entity';
import { Hold } from '../holds/hold.entity';
import { ImportJob } from '../imports/import-job.entity';
import { Seller } from '../sellers/seller.entity';
import { PortalSession } from '../auth/portal-session.entity';
import { RateLimitBucket } from '../auth/rate-limit-bucket.entity';
import { DealerStatusChange } from '../dealers/dealer-status-change.entity';
import { Dealer } from '../dealers/dealer.entity';
import { Municipality } from '../municipalities/municipality.entity';
import { User } from '../users/user.entity';
import { AccessLogEntry } from '../access-log/access-log.entity';
import { DealerReport } from '../police/dealer-report.entity';
import { Hit, HitEvent } from '../police/hit.entity';
import { StolenImport } from '../police/stolen-import.entity';
import { ItemKey } from '../police/item-key.entity';
import { StolenReport } from '../police/stolen-report.entity';
import { Alert, Watchlist } from '../police/watchlist.entity';

export const ENTITIES = [
  Municipality,
  Dealer,
  DealerStatusChange,
  User,
  PortalSession,
  RateLimitBucket,
  Seller,
  Acquisition,
  AcquisitionVersion,
  Item,
  Disposal,
  Hold,
  ChainEvent,
  ChainCheckpoint,
  ImportJob,
  ItemKey,
  StolenReport,
  StolenImport,
  DealerReport,
  Hit,
  HitEvent,
  Watchlist,
  Alert,
  AccessLogEntry,
];
