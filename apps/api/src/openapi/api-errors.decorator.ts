import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse, ApiSchema } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import { ORDER_STATUSES, type OrderStatus } from '#libs/orders';

@ApiSchema({ name: 'StockShortage' })
export class StockShortageDto {
  @ApiProperty({ format: 'uuid', example: '9b2f4c1e-7a3d-4e5f-8a6b-1c2d3e4f5a6b' })
  productId!: string;
  @ApiProperty({ type: 'integer', example: 3 }) requested!: number;
  @ApiProperty({ type: 'integer', example: 1 }) available!: number;
}

/**
 * The one error body. `code` lists every registered code here; each error response narrows it to
 * the codes of its status (openapi-document.ts, from registeredErrorCodes()). The optional fields
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
    description: "INVALID_TRANSITION: the order's status now",
  })
  currentStatus?: OrderStatus;
  @ApiPropertyOptional({
    type: 'integer',
    description: 'RATE_LIMITED: seconds to wait (also the Retry-After header)',
  })
  retryAfter?: number;
}

/**
 * Documents the error statuses a route can answer, all with the one error body; the document
 * builder lists each status's codes. 400, 431 (every route) and 401 (every route that needs a
 * token) are added for you.
 */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: STATUS_CODES[status], type: ErrorBodyDto }),
    ),
  );
}
