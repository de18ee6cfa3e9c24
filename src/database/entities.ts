import { PortalSession } from '../auth/portal-session.entity';
import { RateLimitBucket } from '../auth/rate-limit-bucket.entity';
import { DealerStatusChange } from '../dealers/dealer-status-change.entity';
import { Dealer } from '../dealers/dealer.entity';
import { Municipality } from '../municipalities/municipality.entity';
import { User } from '../users/user.entity';

export const ENTITIES = [Municipality, Dealer, DealerStatusChange, User, PortalSession, RateLimitBucket];
