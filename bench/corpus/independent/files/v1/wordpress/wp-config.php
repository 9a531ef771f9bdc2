<?php
/** The name of the database for WordPress */
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp_admin' );
define( 'DB_PASSWORD', 'Summer622#e7W' );
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8mb4' );
define('AUTH_KEY',         'al{ZkqF6_g0@5odYRzE;3S6*UqXiL1KLpB3P4Ky[9MW?lp5i.42G#HYnD%]u&3ya');
define('SECURE_AUTH_KEY',         '9WRW]p-[kY_tN0&qKP57K;9>?rwG[%c0dJ*#VB2c70z}ll[CNWz1V/_}6[3UXnCi');
define('LOGGED_IN_KEY',         'N(o:50_S/1@vE@;%+2QGXO#5e#.&A_guhSMkBE#M4*0*jfiw{A~lWt)MUis,P^2C');
define('NONCE_KEY',         'pfk!PeZ@JV5DIx7xu6Sr<^Y-iyMU|J*E[m-QXD?Obb4~3@VM#D/CMA[S-9/TWkb/');
define('AUTH_SALT',         'd;+~X@]O#A3^,<A!e8BP8a~HL{~r[4?{AK*!<xzNYRcmLSy/sw0KoV;smMG&0I]6');
define( 'NONCE_SALT', 'put your unique phrase here' );
$table_prefix = 'wp_';
define( 'WP_DEBUG', false );
if ( ! defined( 'ABSPATH' ) ) { define( 'ABSPATH', __DIR__ . '/' ); }
