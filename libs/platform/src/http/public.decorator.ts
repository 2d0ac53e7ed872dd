import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'flashcart:public';

/** Every route needs a valid access token unless it is marked public. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
