import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';

/** The one error body, for the OpenAPI document. */
export class ErrorBodyDto {
  @ApiProperty({ example: 409 }) statusCode!: number;
  @ApiProperty({ example: 'Conflict' }) error!: string;
  @ApiProperty({ example: 'EMAIL_TAKEN', description: 'Stable machine-readable cause' })
  code!: string;
  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    description: 'Human-readable; a list of field errors for 400',
  })
  message!: string | string[];
  @ApiProperty({ example: '0b6e1b0c-9d1e-4f65-9d8a-3f1b2c4d5e6f' }) requestId!: string;
}

/** Documents the error statuses a route can answer, all with the one error body. */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: STATUS_CODES[status], type: ErrorBodyDto }),
    ),
  );
}
