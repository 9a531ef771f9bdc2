<?php
/** The name of the database for WordPress */
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp_admin' );
define( 'DB_PASSWORD', 'Tr0ub4dor998#j2A' );
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8mb4' );
define('AUTH_KEY',         'r;jRIW{l|,EIW46;=0uTR@l+sZ%}|Ph{eO-jPf&%krUi-P3uf+G&@:na4?>a&mX)');
define('SECURE_AUTH_KEY',         'szsFOD<3SfNsU0?fU@QaT2W.|QZEa:&@ON_z]]G]X,1s%r#*uh<#0An;A4s}#jx3');
define('LOGGED_IN_KEY',         'a3Qo*5Q!JZ-)>X!2<i;}TVjS}!wz5=|c~nyv?u*JM~2sI[*!<U*?ASo/dH#kK~(%');
define('NONCE_KEY',         ')@?[,X&pkNH|d.oBW}^4(B][|N+[[Pog^|GmY67Z6k(s[Sa.)iT1l;HG~-FrV0,8');
define('AUTH_SALT',         'Xcg.hv|#l1umUm6};3&^8>Rosi0%C%-FF(|6KgRZpip->s6NuY/HcfvZT:a/~!fN');
define( 'NONCE_SALT', 'put your unique phrase here' );
$table_prefix = 'wp_';
define( 'WP_DEBUG', false );
if ( ! defined( 'ABSPATH' ) ) { define( 'ABSPATH', __DIR__ . '/' ); }
