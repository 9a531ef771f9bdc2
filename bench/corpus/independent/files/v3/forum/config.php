<?php
$dbms = 'mysql';
$dbhost = 'db.corp.test';
$dbname = 'forum';
$dbuser = 'forum';
$dbpasswd = 'Kangaroo7866*2TC';
$table_prefix = 'phpbb_';
$acm_type = 'phpbb\cache\driver\file';
@define('PHPBB_INSTALLED', true);
