import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import {
  AccountRecovery,
  AuthService,
  SessionsService,
  toUserView,
  UsersService,
  type TokenPair,
  type UserView,
} from '#libs/auth';
import { AccountEmails } from '#libs/notifications';
import { Public } from '#libs/platform';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { AuthRateLimitGuard } from './auth-rate-limit.guard.js';
import {
  AccountEmailAcceptedDto,
  AccountEmailRequestDto,
  PasswordResetConfirmDto,
  VerifyEmailDto,
} from './dto/account-email.dto.js';
import {
  LoginDto,
  LogoutDto,
  RefreshDto,
  SignupDto,
  TokenPairDto,
  UserDto,
} from './dto/auth.dto.js';
import { CurrentUser, type Principal } from './principal.js';

const ACCEPTED: AccountEmailAcceptedDto = {
  message: 'If an account exists for this address, an email is on its way',
};

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
    private readonly accountEmails: AccountEmails,
    private readonly recovery: AccountRecovery,
  ) {}

  @ApiOperation({ operationId: 'signup', summary: 'Create a customer account and sign in' })
  @Public()
  @UseGuards(AuthRateLimitGuard)
  @Post('signup')
  @ApiCreatedResponse({ type: TokenPairDto })
  @ApiErrors('EMAIL_TAKEN', 'RATE_LIMITED')
  async signup(@Body() body: SignupDto): Promise<TokenPair> {
    const pair = await this.auth.signup(body);
    await this.accountEmails.verifyAfterSignup(pair.user.id);
    return pair;
  }

  @ApiOperation({
    operationId: 'requestPasswordReset',
    summary: 'Email a password reset link (same answer whether or not the account exists)',
  })
  @Public()
  @UseGuards(AuthRateLimitGuard)
  @Post('password-reset')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: AccountEmailAcceptedDto })
  @ApiErrors('RATE_LIMITED')
  async requestPasswordReset(
    @Body() body: AccountEmailRequestDto,
  ): Promise<AccountEmailAcceptedDto> {
    await this.accountEmails.ask('password_reset', body.email);
    return ACCEPTED;
  }

  @ApiOperation({
    operationId: 'confirmPasswordReset',
    summary: "Set a new password with a reset link's token; ends every session of the account",
  })
  @Public()
  @UseGuards(AuthRateLimitGuard)
  @Post('password-reset/confirm')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Password set; every session of the account is revoked' })
  @ApiErrors('INVALID_ACCOUNT_TOKEN', 'RATE_LIMITED')
  async confirmPasswordReset(@Body() body: PasswordResetConfirmDto): Promise<void> {
    await this.recovery.resetPassword(body.token, body.password);
  }

  @ApiOperation({
    operationId: 'verifyEmail',
    summary: "Confirm the email address with a verification link's token",
  })
  @Public()
  @UseGuards(AuthRateLimitGuard)
  @Post('verify-email')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The address is verified' })
  @ApiErrors('INVALID_ACCOUNT_TOKEN', 'RATE_LIMITED')
  async verifyEmail(@Body() body: VerifyEmailDto): Promise<void> {
    await this.recovery.verifyEmail(body.token);
  }

  @ApiOperation({
    operationId: 'resendVerificationEmail',
    summary: 'Email a new verification link (same answer whether or not the account exists)',
  })
  @Public()
  @UseGuards(AuthRateLimitGuard)
  @Post('verify-email/resend')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: AccountEmailAcceptedDto })
  @ApiErrors('RATE_LIMITED')
  async resendVerification(@Body() body: AccountEmailRequestDto): Promise<AccountEmailAcceptedDto> {
    await this.accountEmails.ask('email_verification', body.email);
    return ACCEPTED;
  }

  @ApiOperation({ operationId: 'login', summary: 'Sign in with email and password' })
  @Public()
  @UseGuards(AuthRateLimitGuard)
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  @ApiErrors('INVALID_CREDENTIALS', 'ACCOUNT_DISABLED', 'RATE_LIMITED')
  login(@Body() body: LoginDto): Promise<TokenPair> {
    return this.auth.login(body.email, body.password);
  }

  @ApiOperation({
    operationId: 'refreshTokens',
    summary: 'Exchange a refresh token for a new token pair',
  })
  @Public()
  @UseGuards(AuthRateLimitGuard)
  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({
    type: TokenPairDto,
    description: 'A new pair; the presented refresh token is spent',
  })
  @ApiErrors('INVALID_REFRESH_TOKEN', 'REFRESH_TOKEN_REUSED', 'ACCOUNT_DISABLED', 'RATE_LIMITED')
  refresh(@Body() body: RefreshDto): Promise<TokenPair> {
    return this.sessions.refresh(body.refreshToken);
  }

  @ApiOperation({ operationId: 'logout', summary: 'Sign out of this session' })
  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'This session is revoked; this access token stops working' })
  async logout(@CurrentUser() me: Principal, @Body() body: LogoutDto): Promise<void> {
    await this.sessions.logout(me.claims, body?.refreshToken);
  }

  @ApiOperation({ operationId: 'logoutAll', summary: 'Sign out of every session' })
  @Post('logout-all')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'Every session of the user is revoked' })
  async logoutAll(@CurrentUser() me: Principal): Promise<void> {
    await this.sessions.logoutAll(me.claims);
  }

  @ApiOperation({ operationId: 'getMe', summary: 'The signed-in user' })
  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ type: UserDto })
  async me(@CurrentUser() me: Principal): Promise<UserView> {
    return toUserView(await this.users.get(me.userId));
  }
}
