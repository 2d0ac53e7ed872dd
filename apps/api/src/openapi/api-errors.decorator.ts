import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ORDER_STATUSES, type OrderStatus } from '#libs/orders';
import type { ErrorCode } from '#libs/platform';
import { CartDto } from '../cart/dto/cart.dto.js';

@ApiSchema({ name: 'StockShortage' })
export class StockShortageDto {
  @ApiProperty({ format: 'uuid', example: '9b2f4c1e-7a3d-4e5f-8a6b-1c2d3e4f5a6b' })
  productId!: string;
  @ApiProperty({ type: 'integer', example: 3 }) requested!: number;
  @ApiProperty({ type: 'integer', example: 1 }) available!: number;
}

/**
 * The one error body. `code` lists every registered code here; each error response narrows it to
 * the codes its route documents with `@ApiErrors` (openapi-document.ts). The optional fields
 * after `requestId` come with the codes named in their descriptions.
 */
@ApiSchema({ name: 'ErrorBody' })
export class ErrorBodyDto {
  @ApiProperty({ type: 'integer', example: 409 }) statusCode!: number;
  @ApiProperty({ example: 'Conflict' }) error!: string;
  @ApiProperty({
    type: String,
    example: 'INSUFFICIENT_STOCK',
    description: 'Stable machine-readable cause: branch on this, never on `message`',
  })
  code!: string;
  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    description: 'Human-readable; a list of field errors for 400',
    example: 'What went wrong, for people (never parse it)',
  })
  message!: string | string[];
  @ApiProperty({ example: '0b6e1b0c-9d1e-4f65-9d8a-3f1b2c4d5e6f' }) requestId!: string;

  @ApiPropertyOptional({
    type: [StockShortageDto],
    description: 'INSUFFICIENT_STOCK when placing an order: the lines short of stock',
  })
  items?: StockShortageDto[];
  @ApiPropertyOptional({
    type: 'integer',
    description: 'INSUFFICIENT_STOCK when removing stock: what is left',
  })
  available?: number;
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', format: 'uuid' },
    description: 'PRODUCT_UNAVAILABLE: the products not sold',
  })
  productIds?: string[];
  @ApiPropertyOptional({
    enum: ORDER_STATUSES,
    description: "INVALID_TRANSITION, ORDER_NOT_DELIVERED: the order's status now",
  })
  currentStatus?: OrderStatus;
  @ApiPropertyOptional({
    type: 'integer',
    description: 'RATE_LIMITED: seconds to wait (also the Retry-After header)',
  })
  retryAfter?: number;
  @ApiPropertyOptional({
    type: 'integer',
    description: 'ADDRESS_BOOK_FULL: the most saved addresses a customer may have',
  })
  max?: number;
  @ApiPropertyOptional({
    type: () => CartDto,
    description: 'CART_CHANGED, CART_NOT_READY: the cart as it is now, priced',
  })
  cart?: CartDto;
}

/** Where `@ApiErrors` keeps a route's codes (class and method). */
export const API_ERROR_CODES = 'flashcart:api-error-codes';

/**
 * Documents the error codes a route can answer (on a controller: every route of it), all with
 * the one error body; the document builder adds a response per status, each listing this route's
 * codes of that status (openapi-document.ts). The codes any route may answer are added for you:
 * 400 VALIDATION_FAILED / MALFORMED_REQUEST, 431, 503, 413 / 415 on every method but GET, and
 * 401 UNAUTHORIZED where a token is needed. api-errors.spec.ts checks that a route names only codes of the libs it reaches.
 */
export function ApiErrors(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const on = (descriptor?.value as object | undefined) ?? target;
    const known = (Reflect.getMetadata(API_ERROR_CODES, on) as ErrorCode[] | undefined) ?? [];
    Reflect.defineMetadata(API_ERROR_CODES, [...new Set([...known, ...codes])], on);
  };
}

/** The codes a route documents: its controller's, then its own. */
export function apiErrorCodesOf(controller: object, handler: object): ErrorCode[] {
  return [
    ...new Set([
      ...((Reflect.getMetadata(API_ERROR_CODES, controller) as ErrorCode[] | undefined) ?? []),
      ...((Reflect.getMetadata(API_ERROR_CODES, handler) as ErrorCode[] | undefined) ?? []),
    ]),
  ];
}
