<?php
/** The name of the database for WordPress */
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp_admin' );
define( 'DB_PASSWORD', 'Summer04%xez' );
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8mb4' );
define('AUTH_KEY',         'X;jU2JgJng_K[tFI3&OyV2d@Z,,Akg05>r]K!g,qv81RKMG^HZ^EM9-{Ypv]ujA%');
define('SECURE_AUTH_KEY',         '#,C5Q52r,yFlwR-lOEVH.zc0X0)AWIRh#J/Uq}%)@BlIFXZ]53Ncqe28;!ajY)75');
define('LOGGED_IN_KEY',         'FnCtt(}n]6k,faqD.e]Mq@G)[3omjM):yXHC<ab*M6JO]F8)E,Fd0^Nhcy#|]1kG');
define('NONCE_KEY',         'D{2VD#eR1U}YzaL%iA#zNyD7CHLn?#>xC!1{h<sYgBd<s1ghxY5OokvQyx^)7eN{');
define('AUTH_SALT',         'WVQ4vnakJkS1p-AWTN3lg8zV+5yPU8d@0F@ZfWe7ihGyi=RUIQ>fH~OJMa<[idDn');
define( 'NONCE_SALT', 'put your unique phrase here' );
$table_prefix = 'wp_';
define( 'WP_DEBUG', false );
if ( ! defined( 'ABSPATH' ) ) { define( 'ABSPATH', __DIR__ . '/' ); }
