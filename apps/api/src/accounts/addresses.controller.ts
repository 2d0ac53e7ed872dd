import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AddressBook, type AddressView } from '#libs/accounts';
import { CurrentUser, Roles, type Principal } from '../auth/principal.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { CreateAddressDto, SavedAddressDto, UpdateAddressDto } from './dto/addresses.dto.js';

const uuid = new ParseUUIDPipe();

/** The customer's address book; each address says which store serves it now. */
@ApiTags('account')
@ApiBearerAuth()
@ApiErrors('FORBIDDEN')
@Roles('customer')
@Controller('account/addresses')
export class AddressesController {
  constructor(private readonly book: AddressBook) {}

  @ApiOperation({ operationId: 'listAddresses', summary: 'My saved addresses (default first)' })
  @Get()
  @ApiOkResponse({ type: [SavedAddressDto] })
  list(@CurrentUser() me: Principal): Promise<AddressView[]> {
    return this.book.list(me.userId);
  }

  @ApiOperation({ operationId: 'createAddress', summary: 'Save an address' })
  @Post()
  @ApiCreatedResponse({ type: SavedAddressDto })
  @ApiErrors('ADDRESS_BOOK_FULL')
  create(@CurrentUser() me: Principal, @Body() body: CreateAddressDto): Promise<AddressView> {
    return this.book.create(me.userId, body);
  }

  @ApiOperation({ operationId: 'getAddress', summary: 'One saved address' })
  @Get(':id')
  @ApiOkResponse({ type: SavedAddressDto })
  @ApiErrors('NOT_FOUND')
  get(@CurrentUser() me: Principal, @Param('id', uuid) id: string): Promise<AddressView> {
    return this.book.get(me.userId, id);
  }

  @ApiOperation({
    operationId: 'updateAddress',
    summary: 'Edit a saved address (placed orders keep theirs)',
  })
  @Patch(':id')
  @ApiOkResponse({ type: SavedAddressDto })
  @ApiErrors('NOT_FOUND')
  update(
    @CurrentUser() me: Principal,
    @Param('id', uuid) id: string,
    @Body() body: UpdateAddressDto,
  ): Promise<AddressView> {
    return this.book.update(me.userId, id, body);
  }

  @ApiOperation({ operationId: 'deleteAddress', summary: 'Delete a saved address' })
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted (if it was the default, the oldest left is now)' })
  @ApiErrors('NOT_FOUND')
  async remove(@CurrentUser() me: Principal, @Param('id', uuid) id: string): Promise<void> {
    await this.book.remove(me.userId, id);
  }
}
