import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../common/auth.decorators';
import type { Caller } from '../common/roles';
import { CreateUserDto, UpdateUserDto, UserListQuery, UserView } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Roles('admin', 'municipality', 'dealer')
  create(@CurrentUser() caller: Caller, @Body() dto: CreateUserDto): Promise<UserView> {
    return this.users.create(caller, dto);
  }

  @Get()
  @Roles('admin', 'municipality', 'dealer')
  list(@CurrentUser() caller: Caller, @Query() query: UserListQuery) {
    return this.users.list(caller, query);
  }

  @Patch(':id')
  @Roles('admin', 'municipality', 'dealer')
  @ApiOkResponse({ type: UserView })
  update(
    @CurrentUser() caller: Caller,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<UserView> {
    return this.users.update(caller, id, dto);
  }
}
