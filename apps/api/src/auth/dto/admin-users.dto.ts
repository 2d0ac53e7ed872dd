import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsString, MaxLength } from 'class-validator';
import { Optional } from '#libs/platform';
import { ROLES, type Role } from '#libs/auth';
import { PageQuery } from '../../pagination/page-query.dto.js';
import { UserDto } from './auth.dto.js';

export class ListUsersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ROLES })
  @Optional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ description: 'Case-insensitive part of the email' })
  @Optional()
  @IsString()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({
    description:
      'Find a person: part of the email or name (case-insensitive), or of the phone number (digits)',
  })
  @Optional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ enum: ROLES })
  @Optional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ description: 'A disabled user cannot log in; live tokens die at once' })
  @Optional()
  @IsBoolean()
  disabled?: boolean;
}

export class UserPageDto {
  @ApiProperty({ type: [UserDto] }) items!: UserDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
