import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  AuthService,
  SessionsService,
  toUserView,
  UsersService,
  type TokenPair,
  type UserView,
} from '#libs/auth';
import { Public } from '#libs/platform';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { AuthRateLimitGuard } from './auth-rate-limit.guard.js';
import {
  LoginDto,
  LogoutDto,
  RefreshDto,
  SignupDto,
  TokenPairDto,
  UserDto,
} from './dto/auth.dto.js';
import { CurrentUser, type Principal } from './principal.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
  ) {}

  @Public()
  @UseGuards(AuthRateLimitGuard)
  @Post('signup')
  @ApiCreatedResponse({ type: TokenPairDto })
  @ApiErrors(400, 409, 429)
  signup(@Body() body: SignupDto): Promise<TokenPair> {
    return this.auth.signup(body);
  }

  @Public()
  @UseGuards(AuthRateLimitGuard)
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  @ApiErrors(400, 401, 429)
  login(@Body() body: LoginDto): Promise<TokenPair> {
    return this.auth.login(body.email, body.password);
  }

  @Public()
  @UseGuards(AuthRateLimitGuard)
  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({
    type: TokenPairDto,
    description: 'A new pair; the presented refresh token is spent',
  })
  @ApiErrors(400, 401, 429)
  refresh(@Body() body: RefreshDto): Promise<TokenPair> {
    return this.sessions.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'This session is revoked; this access token stops working' })
  @ApiErrors(400, 401)
  async logout(@CurrentUser() me: Principal, @Body() body: LogoutDto): Promise<void> {
    await this.sessions.logout(me.claims, body?.refreshToken);
  }

  @Post('logout-all')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'Every session of the user is revoked' })
  @ApiErrors(401)
  async logoutAll(@CurrentUser() me: Principal): Promise<void> {
    await this.sessions.logoutAll(me.claims);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(401)
  async me(@CurrentUser() me: Principal): Promise<UserView> {
    return toUserView(await this.users.get(me.userId));
  }
}
