import { BadRequestException, type ArgumentMetadata } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max } from 'class-validator';
import { createValidationPipe, Optional } from './validation.js';

class PageQuery {
  @Optional() @Type(() => Number) @IsInt() @Max(100) limit?: number;
  @Optional() @IsString() q?: string;
}

const asQuery: ArgumentMetadata = { type: 'query', metatype: PageQuery };
const asBody: ArgumentMetadata = { type: 'body', metatype: PageQuery };

describe('the global validation pipe', () => {
  it('remembers a query it built: each request gets its own equal instance', async () => {
    const pipe = createValidationPipe();
    const first = (await pipe.transform({ limit: '20', q: 'milk' }, asQuery)) as PageQuery;
    const again = (await pipe.transform({ limit: '20', q: 'milk' }, asQuery)) as PageQuery;
    expect(again).toBeInstanceOf(PageQuery);
    expect(again).toEqual({ limit: 20, q: 'milk' });
    expect(again).not.toBe(first);
    // A handler changing its copy changes no other request's.
    again.limit = 99;
    expect(await pipe.transform({ limit: '20', q: 'milk' }, asQuery)).toEqual({
      limit: 20,
      q: 'milk',
    });
  });

  it('refuses a bad or unknown query field every time, and bodies as before', async () => {
    const pipe = createValidationPipe();
    for (let i = 0; i < 2; i++) {
      await expect(pipe.transform({ limit: '500' }, asQuery)).rejects.toThrow(BadRequestException);
      await expect(pipe.transform({ price: '1' }, asQuery)).rejects.toThrow(BadRequestException);
      await expect(pipe.transform({ limit: 500 }, asBody)).rejects.toThrow(BadRequestException);
    }
    expect(await pipe.transform({ limit: '5' }, asQuery)).toEqual({ limit: 5 });
  });
});
