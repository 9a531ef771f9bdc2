<?php
/** The name of the database for WordPress */
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp_admin' );
define( 'DB_PASSWORD', 'Velvet2397&GxY' );
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8mb4' );
define('AUTH_KEY',         '!62!@EwEfW><.^PM<|yV#:]nJDaNc)j]C_X!XX5FU1KURt0A{hxk-&]-MrW#CGp)');
define('SECURE_AUTH_KEY',         ']%5[_xaT/Jxg+gPH=Uy]Wze:j,:1},|2b)1>/0TE0<wb?u0/q9BNyGnenMIO)}w5');
define('LOGGED_IN_KEY',         'KiVj[OT{*tLf2:#nrgO{QiJt~muZ0hlTe[6:O&%^#YMZ.|*SSR3ZAkTy^9CKo:<F');
define('NONCE_KEY',         'o?!]yE][|C9D-MQJY6z6@!lY)zM)!:gy~[&Y#H#GK<gF#Uj,jp<m}860n>PA*;l5');
define('AUTH_SALT',         'n_G5%g+{:cDy5ulp-<oB?;hjQu}[WCdmrw+O6R7%b)GUlhatZv7uo&P?jkr^|9s<');
define( 'NONCE_SALT', 'put your unique phrase here' );
$table_prefix = 'wp_';
define( 'WP_DEBUG', false );
if ( ! defined( 'ABSPATH' ) ) { define( 'ABSPATH', __DIR__ . '/' ); }
