<?php
$dbms = 'mysql';
$dbhost = 'db.corp.test';
$dbname = 'forum';
$dbuser = 'forum';
$dbpasswd = 'Tr0ub4dor156!TdQ';
$table_prefix = 'phpbb_';
$acm_type = 'phpbb\cache\driver\file';
@define('PHPBB_INSTALLED', true);
