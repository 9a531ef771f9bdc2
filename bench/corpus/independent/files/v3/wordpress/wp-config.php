<?php
/** The name of the database for WordPress */
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp_admin' );
define( 'DB_PASSWORD', 'Harbor8728%gEc' );
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8mb4' );
define('AUTH_KEY',         'H|JZMgti3t5Pm*bG1lYdH>CGkBdUBaMpotM7*:nqpX!(N0mZ&S__R<;uCEdXJ>3r');
define('SECURE_AUTH_KEY',         '|fK:)pOaI~fqOyH7rnAn=M-K3(A!P0[4pk-5I]Is5lWGSJK&9H:!CY79F6S<2Bj,');
define('LOGGED_IN_KEY',         '(+t%hunEtzw&|N,.B/lPpj+G8viUDx5wlH-d1Kb!]Jtk01bPG3-fc}Y6RBlFZd5Q');
define('NONCE_KEY',         'HKsZJ7<cf:N8nuFGA4+2iO)pJQHjDXP!yAmfOE!UJ%9xX%#9>&a%6o<E^c]}LS(.');
define('AUTH_SALT',         ':lNrNBW5/-ANPEHt/3aqQzg%pgl*G+91mENv#@)l7V#k)sIhu|n!0?J3*,D2yU&Q');
define( 'NONCE_SALT', 'put your unique phrase here' );
$table_prefix = 'wp_';
define( 'WP_DEBUG', false );
if ( ! defined( 'ABSPATH' ) ) { define( 'ABSPATH', __DIR__ . '/' ); }
