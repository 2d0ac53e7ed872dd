import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { DataRights, type PersonalDataExport } from '#libs/accounts';
import { AuthRateLimitGuard } from '../auth/auth-rate-limit.guard.js';
import { CurrentUser, Roles, type Principal } from '../auth/principal.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { EraseAccountDto, ErasedAccountDto, PersonalDataExportDto } from './dto/data-rights.dto.js';

/** The customer's data rights: download everything held about them, delete the account. */
@ApiTags('account')
@ApiBearerAuth()
@ApiErrors('FORBIDDEN')
@Roles('customer')
@Controller('account')
export class AccountController {
  constructor(private readonly rights: DataRights) {}

  @ApiOperation({
    operationId: 'exportMyData',
    summary: 'Everything FlashCart holds about me, as JSON',
  })
  @Get('export')
  @ApiOkResponse({ type: PersonalDataExportDto })
  export(@CurrentUser() me: Principal): Promise<PersonalDataExport> {
    return this.rights.exportFor(me.userId);
  }

  @ApiOperation({
    operationId: 'deleteMyAccount',
    summary:
      'Delete my account: personal data erased, orders kept without it, signed out everywhere',
  })
  @Delete()
  @HttpCode(204)
  @UseGuards(AuthRateLimitGuard)
  @ApiNoContentResponse({ description: 'Erased; every session ended, open sockets dropped' })
  @ApiErrors('PASSWORD_INCORRECT', 'RATE_LIMITED')
  async erase(@CurrentUser() me: Principal, @Body() body: EraseAccountDto): Promise<void> {
    await this.rights.eraseOwnAccount(me.userId, body.password);
  }
}

/** Erasure on a customer's request, by an admin. */
@ApiTags('admin')
@ApiBearerAuth()
@ApiErrors('FORBIDDEN')
@Roles('admin')
@Controller('admin/users')
export class AdminAccountErasureController {
  constructor(private readonly rights: DataRights) {}

  @ApiOperation({
    operationId: 'eraseUser',
    summary: "Erase a customer's account on their request (admins)",
  })
  @Post(':id/erase')
  @HttpCode(200)
  @ApiOkResponse({ type: ErasedAccountDto })
  @ApiErrors('NOT_FOUND', 'CONFLICT')
  erase(
    @CurrentUser() me: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<ErasedAccountDto> {
    return this.rights.eraseOnRequest(me.userId, id);
  }
}
