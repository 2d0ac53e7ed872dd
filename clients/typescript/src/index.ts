export {
  createFlashCartClient,
  FlashCartClient,
  unwrap,
  type FlashCartClientOptions,
  type FollowPaymentOptions,
  type Order,
  type Payment,
  type PaymentMethod,
  type AddressChange,
  type NewAddress,
  type NewRating,
  type PersonalDataExport,
  type PlaceOrderBody,
  type Rating,
  type SavedAddress,
  type PlaceOrderOptions,
  type User,
} from './client.js';
export {
  ApiError,
  NetworkError,
  SessionExpiredError,
  type ApiErrorBody,
  type ErrorCode,
  type ErrorDetails,
  type SessionExpiredReason,
} from './errors.js';
export type { components, operations, paths } from './generated/openapi.js';
export type * from './protocol.js';
export { Session } from './session.js';
export { MemoryTokenStore, type Tokens, type TokenStore } from './token-store.js';
export { TrackingClient, type TrackingEvents, type TrackingOptions } from './tracking.js';
